"""The blog's answers to the site's extension points."""

from django.dispatch import receiver
from django.utils import timezone

from solidarityclub.signals import publish_post

from .models import Kind, Post


@receiver(publish_post, dispatch_uid="blog_publish_post")
def publish(sender, title, summary, body, author, **kwargs):
    """Publish an announcement at once; returns its path."""
    post = Post(
        title=title[:200],
        summary=summary[:300],
        body=body,
        author=author,
        kind=Kind.ANNOUNCEMENT,
        status=Post.Status.PUBLISHED,
        publish_at=timezone.now(),
    )
    post.full_clean()
    post.save()
    return post.get_absolute_url()
