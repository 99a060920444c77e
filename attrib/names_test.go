package attrib

import "testing"

func TestSameSpeaker(t *testing.T) {
	for _, c := range []struct {
		gold, pred string
		want       bool
	}{
		{"Tony Blair", "Blair", true},
		{"Tony Blair", "Mr Blair's", true},
		{"Tony Blair", "Gordon Brown", false},
		{"Tony Blair", "", false},
		{"-", "", true},
		{"-", "Tony Blair", false},
		{"a Yukos spokesman", "Yukos", true},
		{"the Sun", "Sun", true},
		{"Andrew Fisher's mother", "Andrew Fisher", false},
		{"Yahoo's Yonca Brunini", "Yonca Brunini", true},
		{"“Tony Blair”", "Blair", true},
	} {
		if got := SameSpeaker(c.gold, c.pred); got != c.want {
			t.Errorf("SameSpeaker(%q, %q) = %v", c.gold, c.pred, got)
		}
	}
}
