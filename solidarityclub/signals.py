"""Extension points between apps that do not import each other.

publish_post: an app asks for a public post to be published (kwargs: title,
    summary, body in Markdown, author). The blog answers with the published
    post's path; with no receiver connected, nothing is published. Topics
    uses it to publish a decided outcome in one click without importing blog.
"""

from django.dispatch import Signal

publish_post = Signal()
