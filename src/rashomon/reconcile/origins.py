"""Independent origins: how many separate sources stand behind a claim or a statement.

Five outlets running one AP story are one origin, not five confirmations. An article's origin is:

1. the original it copies, when it is a syndicated copy (``Article.duplicate_of``);
2. the wire or agency it credits (``Article.origin``, "AP" for "(AP) —"), so every article
   crediting one wire is one origin;
3. otherwise the article itself, named by its outlet where the input states one.

A quotation relayed through an agency ("as quoted by the Norpress agency") has that agency as
its origin, whichever outlet printed it. Origins are labels an editor can read: the wire's or
outlet's name, else "article N" (its place in the story) — never an internal hash.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article, Claim, Statement


def _norm(name: str) -> str:
    """One spelling per agency: "Reuters" / "REUTERS" / "Reuters." are one origin."""
    return " ".join(name.replace(".", " ").split()).casefold()


class Origins:
    """Origin labels of a story's articles (built once per story)."""

    def __init__(self, articles: Sequence[Article]):
        self.by_id = {a.id: a for a in articles}
        self.number = {a.id: i for i, a in enumerate(articles, start=1)}
        self._labels: dict[str, str] = {}
        self._display: dict[str, str] = {}
        for a in articles:
            key, shown = self._origin(a)
            self._labels[a.id] = key
            self._display.setdefault(key, shown)

    def _origin(self, article: Article) -> tuple[str, str]:
        root = article
        seen = {article.id}
        while root.duplicate_of and root.duplicate_of in self.by_id and root.duplicate_of not in seen:
            seen.add(root.duplicate_of)
            root = self.by_id[root.duplicate_of]
        wire = article.origin or root.origin
        if wire:
            return _norm(wire), wire.strip()
        if root.outlet:
            return _norm(root.outlet), root.outlet
        return f"#article:{self.number.get(root.id, 0)}", f"article {self.number.get(root.id, 0)}"

    def key(self, article_id: str) -> str:
        """The comparison key of an article's origin (equal keys: one origin)."""
        return self._labels.get(article_id, f"id:{article_id}")

    def label(self, article_id: str) -> str:
        """The readable name of an article's origin ("AP", "Harbour Times", "article 3")."""
        return self._display.get(self.key(article_id), article_id)

    def of_articles(self, article_ids: Sequence[str]) -> tuple[str, ...]:
        """Readable names of the independent origins behind these articles, in story order."""
        keys: list[str] = []
        for aid in sorted(article_ids, key=lambda a: self.number.get(a, 0)):
            k = self.key(aid)
            if k not in keys:
                keys.append(k)
        return tuple(self._display.get(k, k) for k in keys)

    def count(self, article_ids: Sequence[str]) -> int:
        return len({self.key(a) for a in article_ids})

    def of_statement(self, statement: Statement) -> tuple[str, ...]:
        """A statement's origins: each rendering's relaying agency where it names one, else its
        article's origin; renderings through one agency count once."""
        keys: dict[str, str] = {}
        for v in sorted(statement.variants, key=lambda v: (self.number.get(v.span.article, 0), v.span.start)):
            if v.relays:
                keys.setdefault(_norm(v.relays[0]), v.relays[0])
            else:
                keys.setdefault(self.key(v.span.article), self.label(v.span.article))
        return tuple(keys.values())

    def summary(self, article_ids: Sequence[str]) -> str:
        """"5 outlets · 2 independent origins (AP, Reuters)"."""
        n = len(set(article_ids))
        names = self.of_articles(article_ids)
        art = "article" if n == 1 else "articles"
        org = "independent origin" if len(names) == 1 else "independent origins"
        return f"{n} {art} · {len(names)} {org} ({', '.join(names)})"


def with_statement_origins(statements: Sequence[Statement], origins: Origins) -> list[Statement]:
    """The statements with ``origins`` filled."""
    from dataclasses import replace

    return [replace(s, origins=origins.of_statement(s)) for s in statements]


def with_claim_origins(claims: Sequence[Claim], origins: Origins) -> list[Claim]:
    from dataclasses import replace

    return [replace(c, origins=origins.of_articles(c.articles)) for c in claims]
