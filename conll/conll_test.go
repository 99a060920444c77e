package conll

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
Germán JJ B-NP B-MISC

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

BRUSSELS NNP B-NP B-LOC
`

func TestReadWrite(t *testing.T) {
	docs, err := Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(docs[0].Sentences) != 2 || len(docs[1].Sentences) != 1 {
		t.Fatalf("got %d documents: %+v", len(docs), docs)
	}
	s := docs[0].Sentences[0]
	if got := strings.Join(s.Tokens(), " "); got != "EU rejects Germán" {
		t.Errorf("tokens %q", got)
	}
	if got := strings.Join(s.Column(-1), " "); got != "B-ORG O B-MISC" {
		t.Errorf("last column %q", got)
	}
	if got := strings.Join(s.Column(1), " "); got != "NNP VBZ JJ" {
		t.Errorf("column 1 %q", got)
	}
	var buf bytes.Buffer
	if err := Write(&buf, docs, nil); err != nil {
		t.Fatal(err)
	}
	if buf.String() != sample+"\n" {
		t.Errorf("round trip:\n%s", buf.String())
	}
	extra := [][][]string{{{"B-ORG", "O", "B-MISC"}, {"B-PER", "I-PER"}}, {{"B-LOC"}}}
	buf.Reset()
	if err := Write(&buf, docs, extra); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "-DOCSTART- -X- -X- O O\n\n") || !strings.Contains(buf.String(), "EU NNP B-NP B-ORG B-ORG\n") || !strings.Contains(buf.String(), "BRUSSELS NNP B-NP B-LOC B-LOC\n") {
		t.Errorf("appended column missing:\n%s", buf.String())
	}
}

func TestReadNoDocStart(t *testing.T) {
	docs, err := Read(strings.NewReader("a O\r\nb B-PER\r\n\r\n\r\nc O"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || len(docs[0].Sentences) != 2 || docs[0].DocStart != "" {
		t.Fatalf("%+v", docs)
	}
}
