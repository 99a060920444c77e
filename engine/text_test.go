package engine_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/format"
	"github.com/newsgraph/newsgraph/internal/testutil"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestTextView pins the terminal view of each case (testdata/<case>.golden.txt), and checks that
// the coloured view shows the same text once its ANSI styles are removed.
func TestTextView(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.txt")
	n := 0
	for _, c := range cases {
		if strings.HasSuffix(c, ".golden.txt") {
			continue
		}
		n++
		t.Run(filepath.Base(c), func(t *testing.T) {
			d := analyze(t, c)
			var plain, color bytes.Buffer
			if err := format.WriteText(&plain, d, format.TextOptions{Width: 100}); err != nil {
				t.Fatal(err)
			}
			if err := format.WriteText(&color, d, format.TextOptions{Width: 100, Color: true}); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
				t.Error("ANSI escapes without colour")
			}
			if !bytes.Contains(color.Bytes(), []byte("\x1b[")) {
				t.Error("no ANSI escapes with colour")
			}
			if got := ansi.ReplaceAllString(color.String(), ""); got != plain.String() {
				t.Errorf("coloured view differs from the plain one beyond its styles:\n%s", got)
			}
			testutil.Golden(t, strings.TrimSuffix(c, ".txt")+".golden.txt", plain.Bytes())
		})
	}
	if n == 0 {
		t.Fatal("no cases")
	}
}
