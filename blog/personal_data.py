"""What the blog holds about a member (an organizer who wrote posts): their export."""

from .models import Post


def export(user):
    return {
        "posts_written": [
            {
                "title": post.title,
                "kind": post.kind,
                "status": post.status,
                "publish_at": post.publish_at,
                "summary": post.summary,
                "body": post.body,
                "created_at": post.created_at,
            }
            for post in Post.objects.filter(author=user).order_by("publish_at")
        ]
    }
