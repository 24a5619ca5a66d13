"""The blog's answers to the site's extension points (solidarityclub and members signals)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.digest import Section
from members.signals import collect_digest_sections, collect_personal_data
from solidarityclub.signals import publish_post

from . import personal_data
from .models import Kind, Post

DIGEST_POSTS = 5


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


@receiver(collect_personal_data, dispatch_uid="blog_personal_data")
def export_personal_data(sender, user, **kwargs):
    return personal_data.export(user)


@receiver(collect_digest_sections, dispatch_uid="blog_digest_section")
def digest_section(sender, user, since, now, absolute_url, **kwargs):
    """Posts published since the member's last digest (newest first)."""
    posts = Post.objects.published().filter(publish_at__gt=since, publish_at__lte=now)
    shown = list(posts[:DIGEST_POSTS])
    if not shown:
        return None
    return Section(
        key="posts",
        order=20,
        title=_("New on the blog"),
        template="blog/digest/_posts",
        items=[{"post": post, "url": absolute_url(post.get_absolute_url())} for post in shown],
        total=posts.count() if len(shown) == DIGEST_POSTS else len(shown),
        url=absolute_url(reverse("blog:list")),
        url_label=_("See all posts"),
    )
