from django.contrib.sitemaps import Sitemap

from .models import Post


class PostSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Post.objects.published().only("slug", "publish_at", "updated_at")

    def lastmod(self, post):
        return max(post.updated_at, post.publish_at)
