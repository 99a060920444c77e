package newsgraph

// Meta is what is known about a document besides its text: given by the input (a JSON Lines record,
// flags) or recovered from the text by clean-up (a copyright footer, a wire tag, a dateline, a title
// line). The *Source fields say where each value came from.
type Meta struct {
	Title           string `json:"title,omitempty"`
	TitleSource     string `json:"title_source,omitempty"` // "input", "flag" or "text"
	Publisher       string `json:"publisher,omitempty"`
	PublisherSource string `json:"publisher_source,omitempty"` // "input", "flag", "copyright" or "wire"
	Date            string `json:"date,omitempty"`             // as given: ISO 8601 is expected
	URL             string `json:"url,omitempty"`
	Byline          string `json:"byline,omitempty"`
	// Agency is the wire agency whose story the article is, by its canonical name ("The
	// Associated Press"), from a dateline's tag, the byline or a credit line (AgencySource:
	// "dateline", "byline" or "credit"); every chain of attribution passes through it.
	Agency       string `json:"agency,omitempty"`
	AgencySource string `json:"agency_source,omitempty"`
	// Language is the ISO 639-1 code of the language the article is written in ("en", "it"),
	// as the clean-up step detects it. The models read English: for another language only the
	// language-independent layers are computed (paragraphs, boilerplate, tokens, sentences).
	Language string    `json:"language,omitempty"`
	Dateline *Dateline `json:"dateline,omitempty"`
	Input    Input     `json:"input"`
}

// Dateline is the opening of a wire story that names where (and often when) it was filed and by
// whom: "KABUL, July 15 (Reuters) -". Start and End are byte offsets into the text.
type Dateline struct {
	Start, End int    `json:"-"`
	Place      string `json:"place,omitempty"`
	Date       string `json:"date,omitempty"` // as written: "July 15"
	Agency     string `json:"agency,omitempty"`
}

// Input names where a document came from, so that output can be joined back to its input.
type Input struct {
	Path     string `json:"path,omitempty"`     // file path, or "-" for standard input
	Record   int    `json:"record,omitempty"`   // 1-based record number within a JSON Lines, JSON array or WARC input
	Format   string `json:"format,omitempty"`   // "html" when the text was extracted from a page, "warc" from a web archive's record, "feed" from a fetched feed's item
	Encoding string `json:"encoding,omitempty"` // the encoding the bytes were decoded from when not UTF-8
	BOM      bool   `json:"bom,omitempty"`      // a UTF-8 byte-order mark was removed from the start
	Bytes    int    `json:"bytes"`              // size of the input as read, in bytes
}

// String names the input for people (see InputName).
func (in Input) String() string { return InputName(in.Path, in.Record) }
