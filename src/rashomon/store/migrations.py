"""Versioned schema migrations; migration N brings the schema to ``PRAGMA user_version = N``.

Never edit a migration that has shipped: add a new one at the end. Each is applied in one
transaction together with its ``user_version`` (see ``Store.migrate``), so a migration that
fails half way leaves the store at its previous version.
"""

MIGRATIONS: list[str] = [
    # 1: articles, their sources, analyses, story assignments and moves
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        data TEXT NOT NULL,
        added_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE sources (
        source TEXT PRIMARY KEY,
        article_id TEXT NOT NULL
    );
    CREATE TABLE rejected (
        source TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version TEXT NOT NULL,
        data TEXT NOT NULL,
        embedding BLOB
    );
    CREATE TABLE assignments (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        duplicate_of TEXT,
        similarity REAL
    );
    CREATE INDEX assignments_story ON assignments(story_id);
    CREATE TABLE moves (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        from_story TEXT NOT NULL,
        to_story TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: fetched pages and their revisions, feeds and their items (ingest/fetch.py, ingest/watch.py)
    """
    CREATE TABLE pages (
        url TEXT PRIMARY KEY,
        final_url TEXT,
        etag TEXT,
        last_modified TEXT,
        revisions INTEGER NOT NULL DEFAULT 0,
        first_fetched TEXT NOT NULL,
        last_fetched TEXT NOT NULL
    );
    CREATE TABLE page_revisions (
        url TEXT NOT NULL REFERENCES pages(url),
        revision INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        final_url TEXT,
        headers TEXT NOT NULL,
        html BLOB NOT NULL,
        article_id TEXT,
        PRIMARY KEY (url, revision)
    );
    CREATE INDEX page_revisions_article ON page_revisions(article_id);
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT,
        next_poll REAL NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE TABLE feed_items (
        feed_url TEXT NOT NULL,
        item_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        link TEXT,
        title TEXT,
        published TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try REAL NOT NULL DEFAULT 0,
        article_id TEXT,
        reason TEXT,
        first_seen TEXT NOT NULL DEFAULT (datetime('now')),
        done_at TEXT,
        PRIMARY KEY (feed_url, item_id)
    );
    CREATE INDEX feed_items_status ON feed_items(status, next_try);
    """,
    # 3: reconciled briefs, cached per story and content; full-text search (FTS5)
    """
    CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        data TEXT NOT NULL,
        built_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE VIRTUAL TABLE search USING fts5(kind UNINDEXED, ref UNINDEXED, story UNINDEXED, title, body,
                                           tokenize = 'porter unicode61');
    """,
    # 4: each analysis keeps its parse (spaCy bytes without the tensor), so briefs never re-parse
    """
    ALTER TABLE analyses ADD COLUMN parse BLOB;
    """,
    # 5: block templates seen per source (outlet or host), so the cleaner learns a source's furniture
    """
    CREATE TABLE block_prints (
        source_key TEXT NOT NULL,
        print TEXT NOT NULL,
        article_id TEXT NOT NULL,
        PRIMARY KEY (source_key, print, article_id)
    );
    """,
    # 6: the outcome of an analysis that failed, so a poison-pill article is a rejected entry
    #    (kept, retried a few times per analysis version) instead of blocking the store
    """
    CREATE TABLE analysis_failures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version TEXT NOT NULL,
        reason TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    """,
    # 7: the publication date (YYYY-MM-DD or NULL) in its own indexed column, filled from each
    #    article's JSON and kept on insert, so grouping reads the dates of its window (and the
    #    latest date) through the index (covering: it holds the id) instead of parsing every article's JSON (issue 17);
    #    and a mark on every article that has a story, with a partial index over the unmarked,
    #    so a run finds its new articles without scanning the stored ones
    """
    ALTER TABLE articles ADD COLUMN published TEXT;
    UPDATE articles SET published = json_extract(data, '$.published');
    CREATE INDEX articles_published ON articles(published, id);
    ALTER TABLE articles ADD COLUMN grouped INTEGER;
    UPDATE articles SET grouped = 1 WHERE id IN (SELECT article_id FROM assignments);
    CREATE INDEX articles_ungrouped ON articles(seq) WHERE grouped IS NULL;
    """,
    # 8: the grouper's state per story (issue 17): each live story's creation order, members (in
    #    arrival order, a JSON list) and topic-thread root, so a grouping run reads the stories it
    #    can touch and writes the ones it changed, not one document of every story (storyrows.py;
    #    a store holding that document is converted when opened)
    """
    CREATE TABLE stories (
        story_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        topic TEXT NOT NULL,
        members TEXT NOT NULL
    );
    CREATE INDEX stories_topic ON stories(topic);
    """,
]
