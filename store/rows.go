package store

// The JSON forms of the query rows: what `newsgraph search|quotes|sources --format json` print
// and the HTTP API (/api/v1) answers. They change only with the API's version (docs/api.md).

// HitRow is a Hit in JSON.
type HitRow struct {
	ID         int64   `json:"id"`
	Title      string  `json:"title,omitempty"`
	URL        string  `json:"url,omitempty"`
	Publisher  string  `json:"publisher,omitempty"`
	Date       string  `json:"date,omitempty"`
	Source     string  `json:"source,omitempty"`
	Snippet    string  `json:"snippet"`
	Score      float64 `json:"score"`
	Group      int64   `json:"group"`
	Duplicates int     `json:"duplicates"`
}

// Row is the hit's JSON form: its snippet's matched words marked [like this].
func (h Hit) Row() HitRow {
	h.Snippet = Bracketed(h.Snippet)
	return HitRow(h)
}

// QuoteRow is a QuoteHit in JSON: the confidence only where there is a speaker and it has one.
type QuoteRow struct {
	ArticleID   int64    `json:"article"`
	Date        string   `json:"date,omitempty"`
	Publisher   string   `json:"publisher,omitempty"`
	Title       string   `json:"title,omitempty"`
	URL         string   `json:"url,omitempty"`
	Quote       string   `json:"quote"`
	Speaker     string   `json:"speaker,omitempty"`
	Guess       bool     `json:"guess,omitempty"`
	Confidence  *float64 `json:"confidence,omitempty"`
	Resolved    string   `json:"resolved,omitempty"`
	SpeakerKind string   `json:"speaker_kind,omitempty"`
	Attribution string   `json:"attribution,omitempty"`
	Outlet      string   `json:"outlet,omitempty"`
	Chain       []string `json:"chain"`
	Copies      int      `json:"copies"`
}

// Row is the quotation's JSON form.
func (h QuoteHit) Row() QuoteRow {
	x := QuoteRow{ArticleID: h.ArticleID, Date: h.Date, Publisher: h.Publisher, Title: h.Title, URL: h.URL, Quote: h.Quote,
		Speaker: h.Speaker, Guess: h.Guess, Resolved: h.Resolved, SpeakerKind: h.SpeakerKind, Attribution: h.Attribution, Outlet: h.Outlet, Chain: h.Chain, Copies: h.Copies}
	if h.Confidence >= 0 && h.Speaker != "" {
		c := h.Confidence
		x.Confidence = &c
	}
	if x.Chain == nil {
		x.Chain = []string{}
	}
	return x
}

// SourceRow is a SourceEdge in JSON.
type SourceRow struct {
	Publisher    string `json:"publisher"`
	Cited        string `json:"cited"`
	Articles     int    `json:"articles"`
	Attributions int    `json:"attributions"`
}

// Row is the citation's JSON form.
func (e SourceEdge) Row() SourceRow { return SourceRow(e) }

// ChainRow is a ChainCount in JSON.
type ChainRow struct {
	Chain        []string `json:"chain"`
	Attributions int      `json:"attributions"`
	Articles     int      `json:"articles"`
}

// Row is the chain's JSON form.
func (c ChainCount) Row() ChainRow { return ChainRow(c) }
