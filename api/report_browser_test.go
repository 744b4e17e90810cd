package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The director's round trip in a real browser at a phone's size: sign in
// through the sign-in page, read the program's table, narrow it to one PGY
// and sort it, drill into a resident, and download the CSV.
func TestProgramReportInBrowser(t *testing.T) {
	path := browserPath(t)
	db := dbtest.New(t)
	fx := seedReportBrowser(t, db)
	srv, err := api.New(db, api.Config{BaseURL: "http://mentorpulse.test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	tab := phoneTab(t, startBrowser(t, path), false)
	reportPath := fmt.Sprintf("/programs/%d/report", fx.program.ID)

	// Signed out, the report sends the director to the sign-in page, which
	// brings them back to it.
	browserRun(t, tab, chromedp.Navigate(ts.URL+reportPath), chromedp.WaitVisible(chromedp.ID("email")))
	if got := browserEval[string](t, tab, `location.pathname + location.search`); got != "/login?next="+url.QueryEscape(reportPath) {
		t.Fatalf("signed out, the report opens %q, want the sign-in page", got)
	}
	browserRun(t, tab, chromedp.SendKeys(chromedp.ID("email"), fx.director.Email), chromedp.SendKeys(chromedp.ID("password"), acctPassword))
	resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("button.primary")))
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("signing in ends on a %d page", resp.Status)
	}
	browserRun(t, tab, chromedp.WaitVisible(chromedp.CSS("table.residents")))
	if got := browserEval[string](t, tab, `location.pathname`); got != reportPath {
		t.Fatalf("after signing in the browser is on %q, want %q", got, reportPath)
	}
	if got := browserEval[string](t, tab, `document.querySelector("h1").innerText`); got != "Internal Medicine: mentor feedback" {
		t.Errorf("heading %q", got)
	}
	noSidewaysScroll(t, tab, "program report")
	axeAtBothWidths(t, tab, "program report")
	screenshots(t, tab, "program_report")

	t.Run("program-items-and-hint-stay-inside-their-cards", func(t *testing.T) {
		if got := browserEval[string](t, tab, `document.querySelector("#residents-hint").innerText`); !strings.Contains(got, "sorting by an attribute sorts by the") {
			t.Errorf("the residents table's hint reads %q, want it to say what sorting follows", got)
		}
		// One table per attribute, each in a scrolling region of its own.
		if n := browserEval[int](t, tab, `document.querySelectorAll("#items .table-scroll > table.items").length`); n != 4 {
			t.Errorf("program per-item view has %d tables in scrolling regions, want 4", n)
		}
		if got := browserEval[string](t, tab, `document.querySelector("#items table.items tbody th").innerText`); got != surveys.Default().Items[0].Text {
			t.Errorf("first item row %q, want A1's text", got)
		}
	})

	t.Run("table-lists-every-resident-and-hides-figures-below-the-threshold", func(t *testing.T) {
		if got, want := tableNames(t, tab), []string{"Dr. Ana Silva", "Dr. Ben Okoro", "Dr. Cleo Park", "Dr. Dev Rao"}; !cmp.Equal(got, want) {
			t.Errorf("residents in the table %v, want %v", got, want)
		}
		// Cells: name, PGY, responses, response rate, the means, flags.
		cleo := rowCells(t, tab, "Dr. Cleo Park")
		if got := strings.Join(cleo, " | "); !strings.Contains(got, "not enough responses yet") || figure.MatchString(got) {
			t.Errorf("Cleo has 2 responses of the 3 needed; her row reads %q, want no figures and 'not enough responses yet'", got)
		}
		// Counts may still be shown: none released yet, every link answered.
		if len(cleo) < 4 || cleo[2] != "0" || cleo[3] != "100%" {
			t.Errorf("Cleo's row %q, want 0 released responses at a 100%% response rate", cleo)
		}
		ben := rowCells(t, tab, "Dr. Ben Okoro")
		// Each of his four attributes: the adjusted mean, the raw one beneath.
		if got := strings.Join(ben, " | "); len(figure.FindAllString(got, -1)) != 8 || strings.Count(got, "raw ") != 4 || strings.Contains(got, "not enough") {
			t.Errorf("Ben's row %q, want his 4 adjusted means, each with its raw mean", got)
		}
	})

	t.Run("pgy-filter-and-sorting-through-the-page-controls", func(t *testing.T) {
		browserRun(t, tab, chromedp.SetValue(chromedp.CSS(`select[name="pgy_year"]`), "2"))
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(`form.period button[type="submit"]`))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("show PGY-2: %v, %v", resp, err)
		}
		if got, want := tableNames(t, tab), []string{"Dr. Ben Okoro", "Dr. Cleo Park"}; !cmp.Equal(got, want) {
			t.Errorf("PGY-2 only: table lists %v, want %v", got, want)
		}
		// Fewest responses first, then most: the filter holds throughout.
		for _, want := range [][]string{{"Dr. Cleo Park", "Dr. Ben Okoro"}, {"Dr. Ben Okoro", "Dr. Cleo Park"}} {
			if resp, err := chromedp.RunResponse(tab, chromedp.Click(linkText("table.residents thead", "Responses"))); err != nil || resp.Status != http.StatusOK {
				t.Fatalf("sort by responses: %v, %v", resp, err)
			}
			if got := tableNames(t, tab); !cmp.Equal(got, want) {
				t.Errorf("sorted by responses: %v, want %v", got, want)
			}
		}
		if got := browserEval[string](t, tab, `document.querySelector('th[aria-sort]').innerText + " " + document.querySelector('th[aria-sort]').getAttribute("aria-sort")`); !strings.HasPrefix(got, "Responses") || !strings.HasSuffix(got, " descending") {
			t.Errorf("the sorted column is announced as %q, want Responses, descending", got)
		}
	})

	t.Run("drill-down-shows-attribute-cards-and-charts", func(t *testing.T) {
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(linkText("table.residents tbody", "Dr. Ben Okoro"))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("open Ben's report: %v, %v", resp, err)
		}
		browserRun(t, tab, chromedp.WaitVisible(chromedp.CSS("svg.trend")))
		if got, want := browserEval[string](t, tab, `location.pathname`), fmt.Sprintf("/residents/%d/report", fx.ben.ID); got != want {
			t.Errorf("drill-down opened %q, want %q", got, want)
		}
		if got := browserEval[string](t, tab, `document.querySelector("h1").innerText`); got != "Mentor feedback: Dr. Ben Okoro" {
			t.Errorf("resident page heading %q", got)
		}
		cards := browserEval[[]string](t, tab, `[...document.querySelectorAll(".attr-card")].map(c =>
			c.querySelector("h2").innerText + "|" + c.querySelector(".big").innerText.split(/\s/)[0] + "|" +
			c.querySelectorAll("svg.dist[role=img] rect").length + "|" + (c.querySelector("svg.dist").getAttribute("aria-label") || ""))`)
		if len(cards) != 4 {
			t.Fatalf("attribute cards %q, want 4", cards)
		}
		for i, label := range []string{"Availability", "Competence", "Altruistic support", "Overall"} {
			parts := strings.SplitN(cards[i], "|", 4)
			if parts[0] != label || !figure.MatchString(parts[1]) || parts[2] == "0" || !strings.HasPrefix(parts[3], "Ratings: ") {
				t.Errorf("card %d = %q, want %s with a mean, bars and a spoken summary", i, cards[i], label)
			}
		}
		// Two released windows, one after the other: a line per attribute.
		if n := browserEval[int](t, tab, `document.querySelectorAll("svg.trend polyline").length`); n != 4 {
			t.Errorf("trend chart has %d lines, want one per attribute (4)", n)
		}
		if w := browserEval[float64](t, tab, `document.querySelector("svg.trend").getBoundingClientRect().width`); w < 250 {
			t.Errorf("trend chart is %.0f px wide on a phone, too small to read", w)
		}
		if got := browserEval[string](t, tab, `document.querySelector("svg.trend title").textContent`); got == "" {
			t.Errorf("the trend chart has no text alternative")
		}
		// A whisker per attribute and released window, and the table
		// beside the chart gives the same intervals as text.
		if n := browserEval[int](t, tab, `document.querySelectorAll("svg.trend path.whisker").length`); n != 8 {
			t.Errorf("trend chart has %d interval whiskers, want 8 (4 attributes, 2 windows)", n)
		}
		if got := browserEval[string](t, tab, `document.querySelector(".trend-layout table tbody td.num:nth-child(3)").innerText`); !regexp.MustCompile(`^[1-5]\.\d\d\s+[1-5]\.\d\d–[1-5]\.\d\d$`).MatchString(got) {
			t.Errorf("trend table cell %q, want a mean and its interval", got)
		}
		if n := browserEval[int](t, tab, `document.querySelectorAll("#items table.items").length`); n != 4 {
			t.Errorf("resident per-item view has %d tables, want one per attribute", n)
		}
		// Ben's two releases are too few for the model to name a focus.
		if got := browserEval[string](t, tab, `[...document.querySelectorAll("h2")].find(h => h.innerText == "Where to focus").parentElement.innerText`); !strings.Contains(got, "No attribute stands out from the others yet") {
			t.Errorf("focus card reads %q", got)
		}
		noSidewaysScroll(t, tab, "resident report")
		axeAtBothWidths(t, tab, "resident report")
		screenshots(t, tab, "resident_report")
	})

	t.Run("csv-download-has-the-contract-header-and-a-line-per-resident", func(t *testing.T) {
		// Back to the whole program through the resident page's link.
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(linkText("main", "← Program report"))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("back to the program: %v, %v", resp, err)
		}
		browserRun(t, tab, chromedp.WaitVisible(chromedp.CSS("table.residents")))
		if n := len(tableNames(t, tab)); n != 4 {
			t.Fatalf("program page lists %d residents, want all 4", n)
		}
		csv := downloadFrom(t, tab, linkText("form.period", "Download CSV"))
		lines := strings.Split(strings.TrimRight(csv, "\n"), "\n")
		// The download opens with a UTF-8 byte-order mark, for Excel.
		// The twelve columns come first, unchanged; newer ones follow.
		if !strings.HasPrefix(lines[0], "\ufeffresident_id,resident_name,pgy_year,responses,invitations,response_rate,availability_mean,competence_mean,altruistic_support_mean,overall_mean,suppressed,flags,availability_ci95_low,") {
			t.Errorf("CSV header %q", lines[0])
		}
		var ids []string
		for _, l := range lines[1:] {
			ids = append(ids, strings.SplitN(l, ",", 2)[0])
		}
		slices.Sort(ids)
		var want []string
		for _, u := range fx.residents {
			want = append(want, strconv.FormatInt(u.ID, 10))
		}
		slices.Sort(want)
		if !cmp.Equal(ids, want) {
			t.Errorf("CSV rows are for residents %v, want one line each for %v:\n%s", ids, want, csv)
		}
	})

	t.Run("presets-and-a-reversed-period-by-keyboard", func(t *testing.T) {
		browserRun(t, tab, chromedp.Navigate(ts.URL+reportPath), chromedp.WaitVisible(chromedp.CSS("nav.presets")))
		if got := browserEval[string](t, tab, `document.querySelector("nav.presets a[aria-current]").innerText`); !strings.HasPrefix(got, "This academic year") {
			t.Errorf("the default period is marked %q, want This academic year", got)
		}
		// Tab from the To field to the "Last month" preset and press Enter.
		browserRun(t, tab, chromedp.Focus(chromedp.ID("period-to")))
		for range 8 {
			if strings.HasPrefix(browserEval[string](t, tab, `document.activeElement.innerText || ""`), "Last month") {
				break
			}
			browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		}
		if resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter)); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("the Last month preset by keyboard: %v, %v", resp, err)
		}
		last := time.Now().UTC().AddDate(0, -1, 0).Format("2006-01")
		if got := browserEval[string](t, tab, `document.querySelector("#period-from").value + " " + document.querySelector("#period-to").value + " " + document.querySelector("nav.presets a[aria-current]").innerText`); !strings.HasPrefix(got, last+" "+last+" Last month") {
			t.Errorf("after the preset the form reads %q, want %s to %s, Last month marked", got, last, last)
		}
		noSidewaysScroll(t, tab, "program report, last month")
		screenshots(t, tab, "program_report_last_month")

		// A reversed period: the form comes back with the message beside
		// the field, the summary focused, and what was typed kept.
		browserRun(t, tab, chromedp.SetValue(chromedp.ID("period-from"), "2026-05"), chromedp.SetValue(chromedp.ID("period-to"), "2026-02"),
			chromedp.Focus(chromedp.CSS(`form.period button[type="submit"]`)))
		resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter))
		if err != nil || resp.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a reversed period: %v, %v; want 422", resp, err)
		}
		// autofocus moves to the summary once the page has loaded.
		browserWait(t, tab, `document.activeElement && document.activeElement.className === "alert"`)
		if got := browserEval[string](t, tab, `document.activeElement.className + "|" + document.querySelector("#period-from-error").textContent.replace(/\s+/g, " ").trim() + "|" + document.querySelector("#period-from").value + "|" + document.querySelector("#period-to").value`); got != "alert|Error: From must not be after To.|2026-05|2026-02" {
			t.Errorf("after a reversed period the page reads %q", got)
		}
		noSidewaysScroll(t, tab, "program report, reversed period")
		axeAtBothWidths(t, tab, "program report, reversed period")
		screenshots(t, tab, "program_report_422")
	})
}

// The resident's and the admin's report pages in a real browser: the
// resident's own dashboard speaks to them, a director's page tells them it
// is not theirs and leads home by keyboard, and the admin reaches the
// reports from the menu.
func TestReportPagesForResidentAndAdminInBrowser(t *testing.T) {
	path := browserPath(t)
	db := dbtest.New(t)
	fx := seedReportBrowser(t, db)
	hash, err := models.HashPassword(acctPassword)
	if err != nil {
		t.Fatal(err)
	}
	admin := &models.User{Email: "admin@example.org", Name: "Ada Admin", Role: models.RoleAdmin, PasswordHash: hash}
	if err := db.CreateUser(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(db, api.Config{BaseURL: "http://mentorpulse.test", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	tab := phoneTab(t, startBrowser(t, path), false)
	signIn := func(t *testing.T, email, next string) {
		t.Helper()
		browserRun(t, tab, chromedp.Navigate(ts.URL+"/login?next="+url.QueryEscape(next)), chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), acctPassword))
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("button.primary"))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("sign in as %s: %v, %v", email, resp, err)
		}
	}
	signOut := func(t *testing.T) {
		t.Helper()
		if _, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS("form.signout button"))); err != nil {
			t.Fatalf("sign out: %v", err)
		}
	}

	t.Run("resident-dashboard-speaks-to-them", func(t *testing.T) {
		signIn(t, fx.ben.Email, "/dashboard")
		browserRun(t, tab, chromedp.WaitVisible(chromedp.CSS("svg.trend")))
		body := browserEval[string](t, tab, `document.querySelector("main").innerText`)
		if !strings.Contains(body, "What your mentees value") || strings.Contains(body, "Dr. Okoro") {
			t.Errorf("Ben's own dashboard does not speak to him:\n%s", body)
		}
		noSidewaysScroll(t, tab, "dashboard")
		axeAtBothWidths(t, tab, "dashboard")
		screenshots(t, tab, "dashboard")
	})

	t.Run("director-page-tells-the-resident-and-leads-home", func(t *testing.T) {
		resp, err := chromedp.RunResponse(tab, chromedp.Navigate(ts.URL+fmt.Sprintf("/programs/%d/report", fx.program.ID)))
		if err != nil || resp.Status != http.StatusForbidden {
			t.Fatalf("a director's page as a resident: %v, %v; want 403", resp, err)
		}
		if got := browserEval[string](t, tab, `document.querySelector("h1").innerText`); got != "Only program directors can see this" {
			t.Errorf("heading %q", got)
		}
		noSidewaysScroll(t, tab, "forbidden page")
		axeAtBothWidths(t, tab, "forbidden page")
		screenshots(t, tab, "forbidden")
		// By keyboard: Tab until the way back has focus, then Enter.
		for range 10 {
			if browserEval[string](t, tab, `document.activeElement.innerText || ""`) == "Back to your pages" {
				break
			}
			browserRun(t, tab, chromedp.KeyEvent(kb.Tab))
		}
		if resp, err := chromedp.RunResponse(tab, chromedp.KeyEvent(kb.Enter)); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("back to your pages by keyboard: %v, %v", resp, err)
		}
		if got := browserEval[string](t, tab, `location.pathname`); got != "/home" {
			t.Errorf("the way back leads to %q, want /home", got)
		}
		signOut(t)
	})

	t.Run("admin-reaches-reports-from-the-menu", func(t *testing.T) {
		signIn(t, admin.Email, "/admin/programs")
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(linkText("nav.usernav", "Reports"))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("the admin's Reports link: %v, %v", resp, err)
		}
		noSidewaysScroll(t, tab, "programs' reports")
		axeAtBothWidths(t, tab, "programs' reports")
		screenshots(t, tab, "admin_reports")
		if resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(fmt.Sprintf(`main a[href="/programs/%d/report"]`, fx.program.ID)))); err != nil || resp.Status != http.StatusOK {
			t.Fatalf("open the program's report: %v, %v", resp, err)
		}
		if got := browserEval[string](t, tab, `location.pathname`); got != fmt.Sprintf("/programs/%d/report", fx.program.ID) {
			t.Errorf("the report link leads to %q", got)
		}
		axeAtBothWidths(t, tab, "program report as admin")
	})
}

// axeAtBothWidths runs axe-core on the page at a phone's width and at a
// desktop's (1280 px), and leaves the tab at 360 px.
func axeAtBothWidths(t *testing.T, tab context.Context, what string) {
	t.Helper()
	axeCheck(t, tab, what+" at 360 px")
	browserRun(t, tab, chromedp.EmulateViewport(1280, 800))
	axeCheck(t, tab, what+" at 1280 px")
	browserRun(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// screenshots saves the page at 360 px and at 1280 px wide into
// $MENTORPULSE_SHOTS when it is set, for a person to look at; the tab is
// left at 360 px.
func screenshots(t *testing.T, tab context.Context, name string) {
	t.Helper()
	dir := os.Getenv("MENTORPULSE_SHOTS")
	if dir == "" {
		return
	}
	for _, w := range []int64{360, 1280} {
		opts := []chromedp.EmulateViewportOption{}
		if w == 360 {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		browserRun(t, tab, chromedp.EmulateViewport(w, 740, opts...))
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_%d.png", name, w)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	browserRun(t, tab, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// figure matches a mean as the pages write it.
var figure = regexp.MustCompile(`\b[1-5]\.\d\d\b`)

// linkText finds a link by the words on it, as a person would, inside the
// first element that matches scope.
func linkText(scope, text string) chromedp.JSPath {
	return chromedp.JSPath(`[...document.querySelector(` + strconv.Quote(scope) + `).querySelectorAll("a")].filter(a => a.innerText.trim() === ` + strconv.Quote(text) + `)`)
}

// tableNames lists the residents in the program table, in order.
func tableNames(t *testing.T, tab context.Context) []string {
	t.Helper()
	return browserEval[[]string](t, tab, `[...document.querySelectorAll("table.residents tbody th[scope=row]")].map(e => e.innerText.trim())`)
}

// rowCells is a resident's row as the browser shows it, cell by cell.
func rowCells(t *testing.T, tab context.Context, name string) []string {
	t.Helper()
	return browserEval[[]string](t, tab, `(() => {
		const row = [...document.querySelectorAll("table.residents tbody tr")].find(r => r.querySelector("th").innerText.trim() === `+strconv.Quote(name)+`);
		return row ? [...row.cells].map(c => c.innerText.trim()) : [];
	})()`)
}

// noSidewaysScroll fails when the page is wider than the phone: a wide table
// must scroll inside its card, not drag the whole page.
func noSidewaysScroll(t *testing.T, tab context.Context, page string) {
	t.Helper()
	if w := browserEval[int](t, tab, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("%s is %d px wide at a 360 px viewport: the page scrolls sideways", page, w)
	}
}

// downloadFrom clicks a download link with the browser saving into a fresh
// directory, waits for the download to complete and returns the file.
func downloadFrom(t *testing.T, tab context.Context, link chromedp.JSPath) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := chromedp.Call(tab, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
	}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	progress := chromedp.Events(tab, browser.DownloadProgress)
	browserRun(t, tab, chromedp.Click(link))
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the download: %v", err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatalf("read the downloaded file: %v", err)
			}
			return string(b)
		case browser.DownloadProgressStateCanceled:
			t.Fatalf("the download was cancelled")
		}
	}
	t.Fatal("the browser closed before the download completed")
	return ""
}

type reportBrowserFixture struct {
	program   *models.Program
	director  *models.User
	ben       *models.User
	residents []*models.User
}

// seedReportBrowser makes a program (threshold 3) with four residents:
// Ana (PGY-1, one batch), Ben (PGY-2, two batches a quarter apart), Cleo
// (PGY-2, two responses: below the threshold) and Dev (PGY-3, one batch and
// one response waiting). Responses are dated in the last months before
// today, so the report's default period holds them and the session cookie
// the browser gets is not already expired.
func seedReportBrowser(t *testing.T, db *models.DB) reportBrowserFixture {
	t.Helper()
	ctx := context.Background()
	p := &models.Program{Name: "Internal Medicine", MinResponses: 3}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	// Monthly windows, so that every month below but the current one has
	// closed and its answers are judged for release.
	p.WindowSettings.ReleaseWindow = "month"
	// The academic year starts four months back, so that the report's
	// default period (the academic year) holds every answer below, in any
	// month the test runs.
	p.WindowSettings.AcademicYearStartMonth = int(time.Now().UTC().AddDate(0, -4, 0).Month())
	if err := db.UpdateWindowSettings(ctx, p.ID, p.WindowSettings); err != nil {
		t.Fatal(err)
	}
	hash, err := models.HashPassword(acctPassword)
	if err != nil {
		t.Fatal(err)
	}
	fx := reportBrowserFixture{program: p}
	fx.director = &models.User{Email: "director@example.org", Name: "Dr. Dana Director", Role: models.RoleDirector, ProgramID: &p.ID, PasswordHash: hash}
	if err := db.CreateUser(ctx, fx.director); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	thisMonth := time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, time.UTC)
	// Days 8, 12 and 16 of a month sit in ISO weeks whose Thursday is in the
	// same month, so each batch is released in the month it was answered.
	daysIn := func(monthsAgo int, days ...int) []time.Time {
		var out []time.Time
		for _, d := range days {
			out = append(out, thisMonth.AddDate(0, -monthsAgo, d-1))
		}
		return out
	}
	residents := []struct {
		name   string
		pgy    int
		rating int
		at     []time.Time
	}{
		{"Dr. Ana Silva", 1, 4, daysIn(2, 8, 12, 16)},
		// Two months ago and one month ago: adjacent monthly windows.
		{"Dr. Ben Okoro", 2, 3, append(daysIn(2, 8, 12, 16), daysIn(1, 8, 12, 16)...)},
		{"Dr. Cleo Park", 2, 5, daysIn(2, 8, 12)},
		{"Dr. Dev Rao", 3, 2, daysIn(3, 8, 12, 16, 20)},
	}
	for i, r := range residents {
		u := &models.User{Email: fmt.Sprintf("resident%d@example.org", i), Name: r.name, Role: models.RoleResident, ProgramID: &p.ID, PGYYear: &r.pgy, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		fx.residents = append(fx.residents, u)
		if r.name == "Dr. Ben Okoro" {
			fx.ben = u
		}
		for j, at := range r.at {
			db.Now = func() time.Time { return at }
			// Each answer comes from a mentee of its own.
			mentee := int64(1000*i + j + 1)
			inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: u.ID, MenteeID: &mentee})
			if err != nil {
				t.Fatal(err)
			}
			sub := surveys.Submission{Answers: map[string]*int{}}
			for k, it := range surveys.Default().Items {
				v := min(5, r.rating+(j+k)%2)
				sub.Answers[it.Key] = &v
			}
			if err := db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The release job runs as each monthly window closes, as the service's
	// periodic job would.
	for monthsAgo := 4; monthsAgo >= 0; monthsAgo-- {
		at := thisMonth.AddDate(0, -monthsAgo, 0).Add(time.Hour)
		db.Now = func() time.Time { return at }
		if _, err := db.ReleaseClosedWindows(ctx); err != nil {
			t.Fatal(err)
		}
	}
	db.Now = time.Now
	return fx
}
