package outlet

import "testing"

func TestCanonicalPublisher(t *testing.T) {
	for _, c := range []struct{ name, url, want string }{
		{"Hosted", "https://hosted.ap.org/berkshireeagle/article/6486944b", "The Associated Press"},
		{"www.cbsnews.com", "https://www.cbsnews.com/news/x", "CBS News"},
		{"www.cbsnews.com", "", "CBS News"},
		{"NYTimes", "", "The New York Times"},
		{"the associated press", "", "The Associated Press"},
		{"Cleveland", "https://www.cleveland.com/entertainment/2019/11/x.html", "cleveland.com"},
		{"BBC News", "https://www.bbc.co.uk/news/x", "BBC"},
		{"Example Post", "https://news.example.com/x", "Example Post"},
		{"www.example.org", "", "example.org"},
		{"Newsmax", "", "Newsmax"},
	} {
		if got := Canonical(c.name, c.url); got != c.want {
			t.Errorf("Canonical(%q, %q) = %q, want %q", c.name, c.url, got, c.want)
		}
	}
	if _, ok := OfHost("co.uk"); ok {
		t.Error("a top-level domain names an outlet")
	}
}
