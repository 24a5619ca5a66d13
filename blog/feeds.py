"""The Atom feed of published posts, with each post's full sanitized content."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe

from solidarityclub.pagecache import cache_for_visitors, cached

from .models import Post

FEED_LENGTH = 20


class AtomWithContent(Atom1Feed):
    """Atom with <content type="html">: readers show the whole post, not only the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class PostFeed(Feed):
    feed_type = AtomWithContent
    subtitle = _("Announcements and projects of W.O.R.K. (Welcoming Our Radical Kin) Solidarity Club.")

    def title(self):
        return gettext("%(club)s: announcements and projects") % {"club": settings.CLUB_NAME}

    def link(self):
        return reverse("blog:list")

    def items(self):
        return Post.objects.published().select_related("author")[:FEED_LENGTH]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.summary

    def item_link(self, post):
        return post.get_absolute_url()

    def item_guid(self, post):
        # The entry's id outlives its address: a changed slug is the same entry, not a new one.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{post.created_at:%Y-%m-%d}:blog/post/{post.pk}"

    def item_guid_is_permalink(self, post):
        return False

    def author_name(self):
        # RFC 4287: a feed without an author needs one on every entry; here both always have one.
        return settings.CLUB_NAME

    def item_author_name(self, post):
        return post.byline

    def item_pubdate(self, post):
        return post.publish_at

    def item_updateddate(self, post):
        # A scheduled post was last edited before it appeared; Atom wants updated ≥ published.
        return max(post.updated_at, post.publish_at)

    def item_categories(self, post):
        return [post.get_kind_display()]

    def item_extra_kwargs(self, post):
        return {"content_html": post.body_html}


def last_modified(request):
    """The feed changes when any post is edited (or unpublished) or a post appears.

    Feed readers poll: with Last-Modified they get a 304 and no body until then. The
    date is kept with the blog's cached pages, so a poll asks the database nothing.
    """

    def latest():
        dates = Post.objects.aggregate(
            edited=Max("updated_at"),
            appeared=Max(
                "publish_at", filter=Q(status=Post.Status.PUBLISHED, publish_at__lte=timezone.now())
            ),
        )
        return (max(filter(None, dates.values()), default=None),)

    return cached("blog:feed-modified", ["blog"], [], latest)[0]


_feed = PostFeed()


@require_safe
@condition(last_modified_func=last_modified)
@cache_for_visitors("blog", "members")
def post_feed(request):
    response = _feed(request)
    # The syndication view dates the feed by its newest entry; `condition` puts the
    # date that also moves when a post is unpublished, so readers' caches agree.
    response.headers.pop("Last-Modified", None)
    return response
