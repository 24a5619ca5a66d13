"""The site's own receivers: the page cache follows what changes (solidarityclub/pagecache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import pagecache
from .cache import shared_cache_recovered


@receiver(post_save, dispatch_uid="pagecache-save")
@receiver(post_delete, dispatch_uid="pagecache-delete")
@receiver(m2m_changed, dispatch_uid="pagecache-m2m")
def content_changed(sender, update_fields=None, **kwargs):
    pagecache.content_changed(sender, update_fields)


@receiver(shared_cache_recovered, dispatch_uid="pagecache-redis-back")
def shared_cache_back(sender, **kwargs):
    pagecache.shared_cache_back()
