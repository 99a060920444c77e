package eval

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSpeakerScore(t *testing.T) {
	row := func(speaker string) SpeakerRow { return SpeakerRow{File: "x", Speaker: speaker} }
	s := &SpeakerScore{Results: []SpeakerResult{
		{Row: row("Tony Blair"), Found: true, Name: "Blair", Guess: "Blair", Confidence: 0.95, Right: true},
		{Row: row("Tony Blair"), Found: true, Guess: "Gordon Brown", Confidence: 0.4},
		{Row: row("Gordon Brown"), Found: true, Name: "Tony Blair", Guess: "Tony Blair", Confidence: 0.8},
		{Row: row("-"), Found: true, Name: "Tony Blair", Guess: "Tony Blair", Confidence: 0.7},
		{Row: row("Tony Blair"), Found: false},
	}}
	got := s.At(-1)
	if got.Named != 3 || got.Right != 1 || got.Speech != 4 || got.Nobody != 1 || got.Missed != 1 {
		t.Errorf("At(-1) = %+v", got)
	}
	if got := s.At(0.75); got.Named != 2 || got.Right != 1 || got.P() != 0.5 || got.R() != 0.25 {
		t.Errorf("At(0.75) = %+v", got)
	}
	bins := s.Calibration([]float64{0, 0.5, 0.9, 1.01})
	want := []struct{ guesses, right int }{{1, 0}, {2, 0}, {1, 1}}
	for i, w := range want {
		if bins[i].Guesses != w.guesses || bins[i].Right != w.right {
			t.Errorf("bin %d = %+v, want %d guesses, %d right", i, bins[i], w.guesses, w.right)
		}
	}
}

func TestReadSpeakerSet(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tsv")
	os.WriteFile(good, []byte("file\tstart\tend\tquotation\tspeaker\thow\nbusiness/1.txt\t3\t10\tsome \"words\"\tTony Blair\tsame\n"), 0o644)
	rows, err := ReadSpeakerSet(good)
	if err != nil || len(rows) != 1 || rows[0].Start != 3 || rows[0].Speaker != "Tony Blair" || rows[0].Text != `some "words"` {
		t.Fatalf("ReadSpeakerSet = %+v, %v", rows, err)
	}
	for name, body := range map[string]string{
		"offsets":  "h\th\th\th\th\th\nf\tx\t10\tq\ts\tsame\n",
		"backward": "h\th\th\th\th\th\nf\t10\t3\tq\ts\tsame\n",
		"fields":   "h\th\th\th\th\th\nf\t1\t3\tq\ts\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := ReadSpeakerSet(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
