package web

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mentorpulse/mentorpulse/frontend"
)

// The synthetic program's pages, with every figure the model gives, in a
// real browser at a phone's width and a desktop's: the funnel plots, the
// per-item tables and the wider resident table stay inside the page, and
// the funnel keeps its text alternative. With MENTORPULSE_SHOTS set, the
// pages are saved there as PNGs for a person to look at.
func TestSyntheticReportPagesInBrowser(t *testing.T) {
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium on PATH, and CI is set: install one")
		}
		t.Skip("no Chromium on PATH")
	}
	d := buildSynthetic()
	_, program := programPage(t, d, "availability")
	pages := map[string]string{"/program": program, "/resident": residentPage(t, d.residentReport("Dr. Dev Rao"))}
	static, _ := fs.Sub(frontend.Static, "static")
	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	for p, html := range pages {
		mux.HandleFunc(p, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, html) })
	}
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()))
	// A guard against a hung browser, not a timed assertion.
	guard, cancelGuard := context.WithTimeout(context.Background(), 2*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(guard, opts...)
	tab, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc(); cancelGuard() })
	eval := func(js string) any {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	for _, width := range []int64{360, 1280} {
		for _, page := range []string{"/program", "/resident"} {
			var vp []chromedp.EmulateViewportOption
			if width == 360 {
				vp = append(vp, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 740, vp...), chromedp.Navigate(ts.URL+page), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
				t.Fatal(err)
			}
			if w := eval(`document.documentElement.scrollWidth`).(float64); w > float64(width) {
				t.Errorf("%s is %.0f px wide at %d px: the page scrolls sideways", page, w, width)
			}
			if page == "/program" {
				if n := eval(`document.querySelectorAll("svg.funnel title").length`).(float64); n < 4 {
					t.Errorf("%.0f funnel titles, want one per attribute", n)
				}
				// Each funnel fits its card and stays readable on a phone.
				if w := eval(`document.querySelector("svg.funnel").getBoundingClientRect().width`).(float64); w < 250 || w > float64(width) {
					t.Errorf("funnel plot is %.0f px wide at %d px", w, width)
				}
			}
			if n := eval(`document.querySelectorAll("#items .table-scroll > table.items").length`).(float64); n != 4 {
				t.Errorf("%s: %.0f per-item tables in scrolling regions, want 4", page, n)
			}
			if dir := os.Getenv("MENTORPULSE_SHOTS"); dir != "" {
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("synthetic%s_%d.png", filepath.Base(page), width)), png, 0o644)
			}
		}
	}
}
