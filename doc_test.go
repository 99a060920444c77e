package newsgraph_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph"
)

func TestSetLayer(t *testing.T) {
	text := "“Ça” 北京" // “ 0-3, Ç 3-5, a 5-6, ” 6-9, space 9-10, 北 10-13, 京 13-16
	tests := []struct {
		name  string
		spans []newsgraph.Span
		err   string
	}{
		{"ok", []newsgraph.Span{{Start: 0, End: 3}, {Start: 3, End: 5}, {Start: 10, End: 16}}, ""},
		{"empty layer", nil, ""},
		{"out of bounds", []newsgraph.Span{{Start: 0, End: 17}}, "out of bounds"},
		{"negative", []newsgraph.Span{{Start: -1, End: 2}}, "out of bounds"},
		{"reversed", []newsgraph.Span{{Start: 5, End: 3}}, "out of bounds"},
		{"inside a rune", []newsgraph.Span{{Start: 1, End: 3}}, "UTF-8 boundaries"},
		{"end inside a rune", []newsgraph.Span{{Start: 10, End: 11}}, "UTF-8 boundaries"},
		{"unsorted", []newsgraph.Span{{Start: 3, End: 5}, {Start: 0, End: 3}}, "out of order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newsgraph.NewDoc(text, newsgraph.Meta{})
			err := d.SetLayer("x", tt.spans)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want one containing %q", err, tt.err)
			}
			if tt.err == "" && (!d.Has("x") || len(d.Layer("x")) != len(tt.spans)) {
				t.Error("layer not stored")
			}
		})
	}
	d := newsgraph.NewDoc(text, newsgraph.Meta{})
	if err := d.SetLayer("x", nil); err != nil {
		t.Fatal(err)
	}
	if err := d.SetLayer("x", nil); err == nil {
		t.Error("a layer was replaced: components must add layers, not edit them")
	}
	if got := d.Layers(); len(got) != 1 || got[0] != "x" {
		t.Errorf("Layers() = %v", got)
	}
}

func TestOffsetMap(t *testing.T) {
	text := "a“Ça”👍🏽x"
	m := newsgraph.NewOffsetMap(text)
	// byte offset of each rune start -> code point index
	cp := 0
	for i := range text {
		if got := m.CodePoint(i); got != cp {
			t.Errorf("CodePoint(%d) = %d, want %d", i, got, cp)
		}
		cp++
	}
	if got := m.CodePoint(len(text)); got != cp {
		t.Errorf("CodePoint(end) = %d, want %d", got, cp)
	}
	ascii := newsgraph.NewOffsetMap("plain text")
	if ascii.CodePoint(5) != 5 || ascii.CodePoint(10) != 10 {
		t.Error("ASCII map is not the identity")
	}
}

func TestCovering(t *testing.T) {
	spans := []newsgraph.Span{{Start: 0, End: 2}, {Start: 3, End: 5}, {Start: 6, End: 8}, {Start: 9, End: 11}}
	for _, tt := range []struct{ s, e, i, j int }{{0, 11, 0, 4}, {3, 8, 1, 3}, {2, 6, 1, 2}, {12, 20, 4, 4}, {4, 5, 2, 2}} {
		if i, j := newsgraph.Covering(spans, tt.s, tt.e); i != tt.i || j != tt.j {
			t.Errorf("Covering(%d,%d) = %d,%d want %d,%d", tt.s, tt.e, i, j, tt.i, tt.j)
		}
	}
}

type comp struct {
	name             string
	requires, assign []string
	fail             error
	skip             bool
}

func (c comp) Name() string       { return c.name }
func (c comp) Requires() []string { return c.requires }
func (c comp) Assigns() []string  { return c.assign }
func (c comp) Process(_ context.Context, d *newsgraph.Doc) error {
	if c.fail != nil {
		return c.fail
	}
	if c.skip {
		return nil
	}
	for _, l := range c.assign {
		if err := d.SetLayer(l, nil); err != nil {
			return err
		}
	}
	return nil
}

func TestPipelineContract(t *testing.T) {
	a := comp{name: "a.v1", assign: []string{"paragraphs"}}
	b := comp{name: "b.v1", requires: []string{"paragraphs"}, assign: []string{"tokens"}}
	if _, err := newsgraph.NewPipeline(b, a); err == nil || !strings.Contains(err.Error(), `b.v1 requires layer "paragraphs"`) {
		t.Errorf("out-of-order pipeline: %v", err)
	}
	if _, err := newsgraph.NewPipeline(a, a); err == nil || !strings.Contains(err.Error(), "both assign") {
		t.Errorf("duplicate assignment: %v", err)
	}
	p, err := newsgraph.NewPipeline(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Components(); len(got) != 2 || got[1] != "b.v1" {
		t.Errorf("Components() = %v", got)
	}
	d := newsgraph.NewDoc("text", newsgraph.Meta{})
	if err := p.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	p, _ = newsgraph.NewPipeline(a, comp{name: "c.v1", fail: boom})
	if err := p.Process(context.Background(), newsgraph.NewDoc("t", newsgraph.Meta{})); !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "c.v1: ") {
		t.Errorf("component error not wrapped with its name: %v", err)
	}
	p, _ = newsgraph.NewPipeline(comp{name: "lazy.v1", assign: []string{"x"}, skip: true})
	if err := p.Process(context.Background(), newsgraph.NewDoc("t", newsgraph.Meta{})); err == nil || !strings.Contains(err.Error(), "did not assign x") {
		t.Errorf("a component that skipped its layer passed: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, _ = newsgraph.NewPipeline(a)
	if err := p.Process(ctx, newsgraph.NewDoc("t", newsgraph.Meta{})); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestInputError(t *testing.T) {
	err := &newsgraph.InputError{Op: "decode", Input: "bbc/sport/199.txt", Record: 3, Offset: 257, Err: newsgraph.ErrNotUTF8}
	if !errors.Is(err, newsgraph.ErrNotUTF8) {
		t.Error("Unwrap lost the sentinel")
	}
	want := "bbc/sport/199.txt: record 3: byte 257: decode: not UTF-8 text and not a recognisable legacy encoding"
	if err.Error() != want {
		t.Errorf("got %q\nwant %q", err.Error(), want)
	}
}

// slow sleeps before assigning its layer, so its time is seen.
type slow struct{ comp }

func (s slow) Process(ctx context.Context, d *newsgraph.Doc) error {
	time.Sleep(2 * time.Millisecond)
	return s.comp.Process(ctx, d)
}

// TestProcessTimed: each component's time is added at its index, and the times slice must fit.
func TestProcessTimed(t *testing.T) {
	a := comp{name: "a.v1", assign: []string{"paragraphs"}}
	b := slow{comp{name: "b.v1", requires: []string{"paragraphs"}, assign: []string{"tokens"}}}
	p, err := newsgraph.NewPipeline(a, b)
	if err != nil {
		t.Fatal(err)
	}
	times := make([]time.Duration, 2)
	for i := 0; i < 2; i++ {
		if err := p.ProcessTimed(context.Background(), newsgraph.NewDoc("text", newsgraph.Meta{}), times); err != nil {
			t.Fatal(err)
		}
	}
	if times[1] < 4*time.Millisecond {
		t.Errorf("times %v: the slow component's should hold two sleeps", times)
	}
	if err := p.ProcessTimed(context.Background(), newsgraph.NewDoc("text", newsgraph.Meta{}), make([]time.Duration, 1)); err == nil {
		t.Error("a times slice of the wrong length was accepted")
	}
}
