package httpkit

import "strings"

// DeviceOf summarises a User-Agent header as "Firefox on Windows" for the
// account page's list of sessions. The answer is built only from the fixed
// names below, never from the header's text, so no version, build or other
// detail of the header is kept; an agent it does not recognise is "".
func DeviceOf(ua string) string {
	browser, os := pick(ua, browsers), pick(ua, systems)
	switch {
	case browser != "" && os != "":
		return browser + " on " + os
	case browser != "":
		return browser
	}
	return os
}

// named is a marker in a User-Agent and the name it stands for.
type named struct{ marker, name string }

// browsers and systems are tried in order: Edge and Opera say "Chrome"
// too, Chrome says "Safari", and an iPhone says "Mac OS X".
var (
	browsers = []named{
		{"Edg/", "Edge"}, {"EdgiOS/", "Edge"}, {"EdgA/", "Edge"},
		{"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"},
		{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
		{"curl/", "curl"},
	}
	systems = []named{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"},
		{"CrOS", "ChromeOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"},
		{"Macintosh", "macOS"}, {"Linux", "Linux"},
	}
)

func pick(ua string, list []named) string {
	for _, n := range list {
		if strings.Contains(ua, n.marker) {
			return n.name
		}
	}
	return ""
}
