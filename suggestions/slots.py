"""What suggestions add to the article page: the suggested claims (loaded after the page)."""

from claims.slots import register

register("article_side", template="suggestions/_suggestions.html")
