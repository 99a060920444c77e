package attrib

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/format"
)

// Relation is an attribution relation with its role spans as byte-offset pieces of the text (a
// discontinuous span has several pieces; a relation without a source has none for it).
type Relation struct {
	Source, Cue, Content [][2]int
}

// Article is an annotated article: its text and its gold relations.
type Article struct {
	Name      string // the article's name: the text file's without .txt (with all annotators, NAME_ANNOTATOR)
	TextName  string // the text file's name without .txt
	Text      string
	Relations []Relation
	Ann       string // the .ann file the relations come from
}

// LoadPolNeAR reads a PolNeAR-style folder (text/NAME.txt and attributions/NAME_ANNOTATOR.ann,
// brat standoff with code-point offsets). Where several annotators annotated an article, the file
// with the lowest annotator id is used, or with all, every file (an article once per annotator).
// Articles without an .ann file are skipped.
func LoadPolNeAR(dir string, all bool) ([]Article, error) {
	anns, err := filepath.Glob(filepath.Join(dir, "attributions", "*.ann"))
	if err != nil {
		return nil, err
	}
	if len(anns) == 0 {
		return nil, fmt.Errorf("%s: no attributions/*.ann files", dir)
	}
	sort.Strings(anns)
	chosen := map[string]string{}
	var names []string
	for _, a := range anns {
		base := strings.TrimSuffix(filepath.Base(a), ".ann")
		i := strings.LastIndexByte(base, '_')
		if i < 0 {
			return nil, fmt.Errorf("%s: want NAME_ANNOTATOR.ann", a)
		}
		name := base[:i]
		if all {
			name = base
		}
		if _, ok := chosen[name]; !ok {
			chosen[name] = a
			names = append(names, name)
		}
	}
	var out []Article
	for _, name := range names {
		textName := name
		if all {
			textName = name[:strings.LastIndexByte(name, '_')]
		}
		b, err := os.ReadFile(filepath.Join(dir, "text", textName+".txt"))
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(b) {
			return nil, fmt.Errorf("%s.txt: not UTF-8", name)
		}
		art, err := ReadArticle(name, string(b), chosen[name])
		if err != nil {
			return nil, err
		}
		art.TextName = textName
		out = append(out, art)
	}
	return out, nil
}

// ReadArticle reads the relations of one .ann file against its text.
func ReadArticle(name, text, annPath string) (Article, error) {
	f, err := os.Open(annPath)
	if err != nil {
		return Article{}, err
	}
	defer f.Close()
	b, err := format.ReadBrat(f)
	if err != nil {
		return Article{}, fmt.Errorf("%s: %w", annPath, err)
	}
	art := Article{Name: name, TextName: name, Text: text, Ann: annPath}
	cp := codePointBytes(text)
	pieces := func(id string) ([][2]int, error) {
		if id == "" {
			return nil, nil
		}
		t := b.Texts[id]
		if t == nil {
			return nil, fmt.Errorf("%s: event argument %s has no T line", annPath, id)
		}
		var out [][2]int
		for _, p := range t.Pieces {
			if p[1] >= len(cp) {
				return nil, fmt.Errorf("%s: %s ends at %d, after the text's %d characters", annPath, id, p[1], len(cp)-1)
			}
			out = append(out, [2]int{cp[p[0]], cp[p[1]]})
		}
		return out, nil
	}
	for _, e := range b.Events {
		if e.Type != "Attribution" && e.Type != "Attribution-no-source" {
			continue
		}
		var r Relation
		if r.Source, err = pieces(e.Arg("Source")); err != nil {
			return art, err
		}
		if r.Cue, err = pieces(e.Arg("Cue")); err != nil {
			return art, err
		}
		if r.Content, err = pieces(e.Arg("Content")); err != nil {
			return art, err
		}
		if len(r.Cue) == 0 || len(r.Content) == 0 {
			continue
		}
		art.Relations = append(art.Relations, r)
	}
	return art, nil
}

// codePointBytes maps each code-point offset of text (and its end) to a byte offset.
func codePointBytes(text string) []int {
	out := make([]int, 0, len(text)+1)
	for i := range text {
		out = append(out, i)
	}
	return append(out, len(text))
}
