"""Export buttons on the article page and the workspace home."""

from claims.slots import register

register("article_head", template="exports/_export_buttons.html", extra={"scope": "article"})
register(
    "workspace_home_head", template="exports/_export_buttons.html", extra={"scope": "workspace"}
)
