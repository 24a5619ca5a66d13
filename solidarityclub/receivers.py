"""The site's own receivers: the page caches follow what changes (pagecache.py, memberpages.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import memberpages, pagecache
from .cache import shared_cache_recovered


@receiver(post_save, dispatch_uid="pagecache-save")
@receiver(post_delete, dispatch_uid="pagecache-delete")
@receiver(m2m_changed, dispatch_uid="pagecache-m2m")
def content_changed(sender, update_fields=None, instance=None, **kwargs):
    pagecache.content_changed(sender, update_fields)
    if instance is not None and sender.__module__ != "__fake__":
        memberpages.member_changed(
            *memberpages.members_of(instance, kwargs.get("model"), kwargs.get("pk_set"))
        )


@receiver(shared_cache_recovered, dispatch_uid="pagecache-redis-back")
def shared_cache_back(sender, **kwargs):
    pagecache.shared_cache_back()
