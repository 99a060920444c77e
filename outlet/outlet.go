// Package outlet knows the news outlets and wire agencies: their canonical names, the aliases a
// text uses for them (data/outlets.tsv, which the entity tagger reads to mark outlets) and the web
// domains of their sites (data/domains.tsv, built by tools/mkdomains), so that a publisher is
// named one way however a page names it.
package outlet

import (
	_ "embed"
	"strings"
	"sync"
)

// Table is data/outlets.tsv: canonical name, kind (agency or outlet) and aliases.
//
//go:embed data/outlets.tsv
var Table string

// Outlet is a news outlet or wire agency.
type Outlet struct {
	Name string // canonical: "The Associated Press"
	Kind string // "agency" or "outlet"
}

// stripThe removes a leading "the " or "The ".
func stripThe(s string) string {
	if strings.HasPrefix(s, "the ") || strings.HasPrefix(s, "The ") {
		return s[4:]
	}
	return s
}

//go:embed data/domains.tsv
var domainsData string

// publisherTables are the outlets by name (any case) and by web domain, read once.
var publisherTables = sync.OnceValues(func() (map[string]Outlet, map[string]string) {
	byName := map[string]Outlet{}
	for _, line := range strings.Split(Table, "\n") {
		f := strings.Split(line, "\t")
		if line == "" || line[0] == '#' || len(f) != 3 {
			continue // the table is checked by ner's tests
		}
		o := Outlet{Name: f[0], Kind: f[1]}
		names := []string{f[0]}
		if f[2] != "" {
			names = append(names, strings.Split(f[2], "|")...)
		}
		for _, a := range names {
			if k := strings.ToLower(stripThe(a)); byName[k].Name == "" { // the first row that names it wins
				byName[k] = o
			}
		}
	}
	byDomain := map[string]string{}
	for _, line := range strings.Split(domainsData, "\n") {
		if d, n, ok := strings.Cut(line, "\t"); ok && line[0] != '#' {
			byDomain[d] = n
		}
	}
	return byName, byDomain
})

// OutletByName returns the outlet or agency a name or alias names, in any case and with or
// without a leading "the" ("NYTimes", "the associated press").
func ByName(name string) (Outlet, bool) {
	byName, _ := publisherTables()
	o, ok := byName[strings.ToLower(stripThe(strings.TrimSpace(name)))]
	if !ok {
		o, ok = byName[strings.TrimPrefix(strings.ToLower(strings.TrimSpace(name)), "the ")]
	}
	return o, ok
}

// PublisherOfHost returns the canonical name of the outlet whose site a host is (data/
// domains.tsv): the host without "www.", "m." or "amp.", or a domain it is under
// ("hosted.ap.org": The Associated Press).
func OfHost(host string) (string, bool) {
	_, byDomain := publisherTables()
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	for _, p := range []string{"www.", "m.", "amp.", "mobile."} {
		h = strings.TrimPrefix(h, p)
	}
	for h != "" {
		if n, ok := byDomain[h]; ok {
			return n, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 || !strings.Contains(h[i+1:], ".") {
			break // stop before the top-level domain
		}
		h = h[i+1:]
	}
	return "", false
}

// CanonicalPublisher names a publisher the way newsgraph's outlet tables do: the outlet whose
// site the URL is on, else the outlet the name (a site name, a copyright holder) names, else the
// name itself, a bare host without "www.". ("Hosted" at hosted.ap.org: The Associated Press;
// "NYTimes": The New York Times; "www.cbsnews.com": CBS News.)
func Canonical(name, url string) string {
	if host := hostOf(url); host != "" {
		if n, ok := OfHost(host); ok {
			return n
		}
	}
	if o, ok := ByName(name); ok {
		return o.Name
	}
	if n, ok := OfHost(name); ok && strings.Contains(name, ".") && !strings.Contains(name, " ") {
		return n
	}
	if strings.HasPrefix(strings.ToLower(name), "www.") && !strings.Contains(name, " ") {
		return name[4:]
	}
	return name
}

// hostOf returns the host of an absolute http(s) URL, or "".
func hostOf(u string) string {
	for _, p := range []string{"https://", "http://"} {
		if len(u) >= len(p) && strings.EqualFold(u[:len(p)], p) {
			h := u[len(p):]
			if i := strings.IndexAny(h, "/?#"); i >= 0 {
				h = h[:i]
			}
			if i := strings.LastIndexByte(h, '@'); i >= 0 {
				h = h[i+1:]
			}
			return h
		}
	}
	return ""
}
