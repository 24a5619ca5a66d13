"""Sessions as Django's cached_db keeps them, and read together with other keys in one round trip.

settings.SESSION_ENGINE. The store is cached_db's (the shared cache in front of the
database, so a cache restart signs no one out); `load_with` lets a member's kept page
(memberpages.py) read the session and the member's own version in one get_many.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def load_with(self, keys, other_cache):
        """Load the session (unless it is loaded) and read `keys` from `other_cache`, in one
        call when that is the sessions' own cache. Returns {key: value} for the keys found.

        A session missing from the cache is read from the database as cached_db reads it.
        """
        if other_cache is not self._cache or hasattr(self, "_session_cache") or self.session_key is None:
            self._get_session()
            return other_cache.get_many(keys)
        try:
            found = self._cache.get_many([self.cache_key, *keys])
        except Exception:  # noqa: BLE001 (as cached_db.load: a backend may refuse an odd session key)
            found = {}
        data = found.pop(self.cache_key, None)
        # What SessionBase._get_session does, with the data already in hand.
        self.accessed = True
        self._session_cache = data if data is not None else self.load()
        return found
