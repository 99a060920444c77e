package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/store"
)

// putMany stores a batch in one transaction and a fixed number of statements whatever its size:
// the batch's URLs and text hashes are looked up at once, its near-duplicate candidates read at
// once (by band), its ids drawn at once, and each table's rows inserted by one INSERT … SELECT FROM
// unnest. The outcome is the one of putting the articles one by one in order: an article the
// same as one before it in the batch is that one's duplicate, and one near it joins its group.
func (s *Store) putMany(ctx context.Context, as []*store.Article, analyses [][]byte) ([]store.PutResult, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := make([]store.PutResult, len(as))

	// What is stored already, by URL and by text.
	type stored struct{ id, group int64 }
	var urls []string
	hashes := make([][]byte, 0, len(as))
	for _, a := range as {
		if a.URL != "" {
			urls = append(urls, a.URL)
		}
		hashes = append(hashes, a.TextHash)
	}
	type row struct {
		stored
		url  string
		hash []byte
	}
	found, err := store.ReadRows(ctx, tx, rebind(`SELECT id, group_id, url, text_hash FROM articles WHERE (url = ANY (?) AND url <> '') OR text_hash = ANY (?)`),
		func(rows *sql.Rows) (r row, err error) { return r, rows.Scan(&r.id, &r.group, &r.url, &r.hash) }, urls, hashes)
	if err != nil {
		return nil, err
	}
	byURL, byHash := map[string]stored{}, map[string]stored{}
	for _, r := range found {
		if r.url != "" {
			byURL[r.url] = r.stored
		}
		byHash[string(r.hash)] = r.stored
	}

	// Which are new; a copy of an earlier one in the batch is told as that one's duplicate.
	var fresh []int        // indexes into as of the articles to store, in order
	dupOf := map[int]int{} // index of a copy → index of the article it copies
	firstURL, firstHash := map[string]int{}, map[string]int{}
	for i, a := range as {
		if a.URL != "" {
			if r, ok := byURL[a.URL]; ok {
				out[i] = store.PutResult{ID: r.id, Status: store.DuplicateURL, Group: r.group}
				continue
			}
			if j, ok := firstURL[a.URL]; ok {
				dupOf[i], out[i].Status = j, store.DuplicateURL
				continue
			}
		}
		if r, ok := byHash[string(a.TextHash)]; ok {
			out[i] = store.PutResult{ID: r.id, Status: store.DuplicateText, Group: r.group}
			continue
		}
		if j, ok := firstHash[string(a.TextHash)]; ok {
			dupOf[i], out[i].Status = j, store.DuplicateText
			continue
		}
		fresh = append(fresh, i)
		if a.URL != "" {
			firstURL[a.URL] = i
		}
		firstHash[string(a.TextHash)] = i
	}
	if len(fresh) == 0 {
		for i, j := range dupOf {
			out[i].ID, out[i].Group = out[j].ID, out[j].Group
		}
		return out, tx.Commit()
	}

	// Their ids, in order.
	ids, err := store.ReadRows(ctx, tx, rebind(`SELECT nextval('articles_id_seq') FROM generate_series(1, ?)`), scanID, len(fresh))
	if err != nil {
		return nil, err
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })

	// Their groups: the group of the stored or earlier new article most like each (nearGroup).
	bands := make([][]int64, len(fresh))
	var allBands []int64
	for k, i := range fresh {
		bands[k] = dedup(store.Bands(as[i].MinHash))
		allBands = append(allBands, bands[k]...)
	}
	type cand struct {
		id, group int64
		mh        []uint32
	}
	byBand := map[int64][]int64{}
	cands := map[int64]cand{}
	type bandRow struct {
		key    int64
		c      cand
		packed []byte
	}
	near, err := store.ReadRows(ctx, tx, rebind(`SELECT b.key, a.id, a.minhash, a.group_id FROM bands b JOIN articles a ON a.id = b.article WHERE b.key = ANY (?)`),
		func(rows *sql.Rows) (r bandRow, err error) {
			return r, rows.Scan(&r.key, &r.c.id, &r.packed, &r.c.group)
		}, dedup(allBands))
	if err != nil {
		return nil, err
	}
	for _, r := range near {
		if _, ok := cands[r.c.id]; !ok {
			r.c.mh = store.UnpackMinHash(r.packed)
			cands[r.c.id] = r.c
		}
		byBand[r.key] = append(byBand[r.key], r.c.id)
	}
	groups := make([]int64, len(fresh))
	for k, i := range fresh {
		seen := map[int64]bool{}
		var near []int64
		for _, b := range bands[k] {
			for _, id := range byBand[b] {
				if !seen[id] {
					seen[id] = true
					near = append(near, id)
				}
			}
		}
		sort.Slice(near, func(x, y int) bool { return near[x] < near[y] })
		var best int64
		bestSim := store.NearJaccard
		for _, id := range near {
			c := cands[id]
			if sim := store.Similarity(as[i].MinHash, c.mh); sim > bestSim || sim == bestSim && best == 0 {
				best, bestSim = c.group, sim
			}
		}
		groups[k] = best
		if best == 0 {
			groups[k] = ids[k]
		}
		// The later articles of the batch find this one by its bands.
		cands[ids[k]] = cand{id: ids[k], group: groups[k], mh: as[i].MinHash}
		for _, b := range bands[k] {
			byBand[b] = append(byBand[b], ids[k])
		}
	}
	for k, i := range fresh {
		out[i] = store.PutResult{ID: ids[k], Status: store.Stored, Group: groups[k]}
	}
	for i, j := range dupOf {
		out[i].ID, out[i].Group = out[j].ID, out[j].Group
	}

	// The search table must have a partition for each id. They are made ahead (partitionsFor), by
	// one connection outside any transaction of a put: were a put to wait for another connection
	// while holding its own, puts as many as the pool's connections would wait on each other.
	if last := ids[len(ids)-1]; last >= s.partitioned.Load() {
		return nil, needPartitions{last}
	}

	// The rows.
	now := time.Now().UTC()
	art := newColumns("id bigint", "url text", "title text", "byline text", "date text", "publisher text", "source text", "text text",
		"text_hash bytea", "minhash bytea", "group_id bigint", "pipeline text", "analysis bytea", "ingested timestamptz")
	srch := newColumns("id bigint", "group_id bigint", "date text", "publisher text", "title text", "text text")
	bandRows := newColumns("key bigint", "article bigint")
	named, guessed := newColumns("word text", "article bigint"), newColumns("word text", "article bigint")
	ents := newColumns("article bigint", "cluster text", "label text", "name text", "outlet text", "mentions bigint")
	attrs := newColumns("article bigint", "aid text", "kind text", "speaker_name text", "speaker_kind text", "outlet text", "outlet_via text",
		"parent text", "chain text", "source text", "cue text", "content text", "speaker_guess text", "confidence float8", "resolved text")
	quotes := newColumns("article bigint", "qid text", "text text", "attribution text", "speaker_name text", "speaker_guess text", "confidence float8")
	timexes := newColumns("article bigint", "tid text", "type text", "value text", "text text")
	for k, i := range fresh {
		a, id := as[i], ids[k]
		ingested := a.Ingested
		if ingested.IsZero() {
			ingested = now
		}
		art.add(id, a.URL, a.Title, a.Byline, a.Date, a.Publisher, a.Source, a.Text, a.TextHash, store.PackMinHash(a.MinHash), groups[k], a.Pipeline, analyses[i], ingested)
		srch.add(id, groups[k], a.Date, a.Publisher, store.FoldWidth(a.Title), store.FoldWidth(a.Text))
		for _, b := range bands[k] {
			bandRows.add(b, id)
		}
		nw, gw := store.SpeakerWords(a)
		for _, w := range nw {
			named.add(w, id)
		}
		for _, w := range gw {
			guessed.add(w, id)
		}
		for _, e := range a.Entities {
			ents.add(id, e.Cluster, e.Label, e.Name, e.Outlet, int64(e.Mentions))
		}
		for _, r := range a.Attributions {
			attrs.add(id, r.ID, r.Kind, r.SpeakerName, r.SpeakerKind, r.Outlet, r.OutletVia, r.Parent, store.ChainJSON(r.Chain), r.Source, r.Cue, r.Content, r.SpeakerGuess, r.Confidence, r.Resolved)
		}
		for _, q := range a.Quotes {
			quotes.add(id, q.ID, q.Text, q.Attribution, q.SpeakerName, q.SpeakerGuess, q.Confidence)
		}
		for _, t := range a.Timexes {
			timexes.add(id, t.ID, t.Type, t.Value, t.Text)
		}
	}
	for _, ins := range []struct {
		table, sel, conflict string
		c                    *columns
	}{
		{"articles", "*", "", art},
		{"search (id, group_id, date, publisher, tsv)", "id, group_id, date, publisher, setweight(to_tsvector('newsgraph', title), 'A') || setweight(to_tsvector('newsgraph', text), 'B')", "", srch},
		{"bands", "*", " ON CONFLICT DO NOTHING", bandRows},
		{"speaker_words", "*", " ON CONFLICT DO NOTHING", named},
		{"guess_words", "*", " ON CONFLICT DO NOTHING", guessed},
		{"entities", "*", "", ents},
		{"attributions", "*", "", attrs},
		{"quotes", "*", "", quotes},
		{"timexes", "*", "", timexes},
	} {
		if err := ins.c.insert(ctx, tx, ins.table, ins.sel, ins.conflict); err != nil {
			return nil, fmt.Errorf("storing %s: %w", strings.Fields(ins.table)[0], err)
		}
	}
	return out, tx.Commit()
}

// needPartitions is a batch that drew an id the search table's partitions do not hold yet, as far
// as this store knows: PutMany makes them and puts the batch again.
type needPartitions struct{ id int64 }

func (e needPartitions) Error() string {
	return fmt.Sprintf("postgres: no search partition for article %d", e.id)
}

// columns are the rows of one INSERT, column by column: each column goes as one array parameter.
type columns struct {
	names, types []string
	vals         []any // each a slice of one column's values
}

// newColumns takes "name type" pairs.
func newColumns(defs ...string) *columns {
	c := &columns{}
	for _, d := range defs {
		name, typ, _ := strings.Cut(d, " ")
		c.names = append(c.names, name)
		c.types = append(c.types, typ)
		switch typ {
		case "bigint":
			c.vals = append(c.vals, []int64(nil))
		case "text":
			c.vals = append(c.vals, []string(nil))
		case "bytea":
			c.vals = append(c.vals, [][]byte(nil))
		case "float8":
			c.vals = append(c.vals, []float64(nil))
		case "timestamptz":
			c.vals = append(c.vals, []time.Time(nil))
		default:
			panic("postgres: column type " + typ)
		}
	}
	return c
}

// add appends a row; its values are in the columns' order and of their types.
func (c *columns) add(row ...any) {
	for i, v := range row {
		switch col := c.vals[i].(type) {
		case []int64:
			c.vals[i] = append(col, v.(int64))
		case []string:
			c.vals[i] = append(col, v.(string))
		case [][]byte:
			c.vals[i] = append(col, v.([]byte))
		case []float64:
			c.vals[i] = append(col, v.(float64))
		case []time.Time:
			c.vals[i] = append(col, v.(time.Time))
		}
	}
}

func (c *columns) len() int {
	switch col := c.vals[0].(type) {
	case []int64:
		return len(col)
	case []string:
		return len(col)
	}
	return 0
}

// insert runs INSERT INTO table SELECT sel FROM unnest(the columns); a table named without its
// columns takes the columns' names.
func (c *columns) insert(ctx context.Context, tx *sql.Tx, table, sel, conflict string) error {
	if c.len() == 0 {
		return nil
	}
	params := make([]string, len(c.names))
	for i, t := range c.types {
		params[i] = "$" + strconv.Itoa(i+1) + "::" + t + "[]"
	}
	if !strings.Contains(table, "(") {
		table += " (" + strings.Join(c.names, ", ") + ")"
	}
	q := "INSERT INTO " + table + " SELECT " + sel + " FROM unnest(" + strings.Join(params, ", ") + ") AS u(" + strings.Join(c.names, ", ") + ")" + conflict
	_, err := tx.ExecContext(ctx, q, c.vals...)
	return err
}

func dedup(xs []int64) []int64 {
	seen := make(map[int64]bool, len(xs))
	out := make([]int64, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
