-- The layout of a newsgraph store at version 1 (PRAGMA user_version = 1), before speakers'
-- confidence and guesses: TestMigrateV1 builds a file of it and opens it with this program.
CREATE TABLE IF NOT EXISTS articles (
	id        INTEGER PRIMARY KEY,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	byline    TEXT NOT NULL DEFAULT '',
	date      TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	source    TEXT NOT NULL DEFAULT '',
	group_id  INTEGER NOT NULL,
	ingested  TEXT NOT NULL,
	pipeline  TEXT NOT NULL DEFAULT '',
	text_hash BLOB NOT NULL UNIQUE,
	minhash   BLOB NOT NULL,
	text      TEXT NOT NULL, -- the large columns last: reading the others skips them
	analysis  BLOB
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url <> '';
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_publisher ON articles(publisher COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS articles_group ON articles(group_id);
CREATE TABLE IF NOT EXISTS bands (
	key     INTEGER NOT NULL,
	article INTEGER NOT NULL,
	PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
	article  INTEGER NOT NULL,
	cluster  TEXT NOT NULL,
	label    TEXT NOT NULL,
	name     TEXT NOT NULL,
	outlet   TEXT NOT NULL DEFAULT '',
	mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_article ON entities(article);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS attributions (
	article      INTEGER NOT NULL,
	aid          TEXT NOT NULL,
	kind         TEXT NOT NULL,
	speaker_name TEXT NOT NULL DEFAULT '',
	speaker_kind TEXT NOT NULL DEFAULT '',
	outlet       TEXT NOT NULL DEFAULT '',
	outlet_via   TEXT NOT NULL DEFAULT '',
	parent       TEXT NOT NULL DEFAULT '',
	chain        TEXT NOT NULL DEFAULT '[]',
	source       TEXT NOT NULL DEFAULT '',
	cue          TEXT NOT NULL DEFAULT '',
	content      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS attributions_article ON attributions(article);
CREATE INDEX IF NOT EXISTS attributions_outlet ON attributions(outlet COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS attributions_speaker ON attributions(speaker_name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS speaker_words (
	word    TEXT NOT NULL, -- a word of an attribution's speaker name, lower case (store.NameWords)
	article INTEGER NOT NULL,
	PRIMARY KEY (word, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quotes (
	article      INTEGER NOT NULL,
	qid          TEXT NOT NULL,
	text         TEXT NOT NULL,
	attribution  TEXT NOT NULL DEFAULT '',
	speaker_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article);
CREATE TABLE IF NOT EXISTS timexes (
	article INTEGER NOT NULL,
	tid     TEXT NOT NULL,
	type    TEXT NOT NULL,
	value   TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timexes_article ON timexes(article);
CREATE INDEX IF NOT EXISTS timexes_value ON timexes(value);
CREATE TABLE IF NOT EXISTS fetches (
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	status        INTEGER NOT NULL DEFAULT 0,
	fetched       TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
	title, text, content='articles', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2'
);
