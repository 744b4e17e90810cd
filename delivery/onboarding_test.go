package delivery_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

const newPassword = "violet kettle marathon harbour"

var setPasswordRE = regexp.MustCompile(`https?://[^\s"<>]+/set-password/([A-Za-z0-9_-]+)`)

// onboarding is the harness with a running delivery service that the
// account use cases email setup links through.
func (h *harness) onboarding() (*accounts.Service, *delivery.Service) {
	h.t.Helper()
	s := h.running()
	return accounts.New(h.db, accounts.Config{BaseURL: baseURL, SetupEmails: s}), s
}

// setupToken is the set-password token in an email's text part.
func setupToken(t *testing.T, m deliverytest.Mail) string {
	t.Helper()
	sub := setPasswordRE.FindStringSubmatch(m.Text)
	if sub == nil || !strings.HasPrefix(sub[0], baseURL+"/set-password/") {
		t.Fatalf("no set-password link on %s in the email:\n%s", baseURL, m.Text)
	}
	return sub[1]
}

// waitSetupStatus waits until a user's newest setup email reads want.
func (h *harness) waitSetupStatus(userID int64, want string) string {
	h.t.Helper()
	var got string
	deliverytest.WaitFor(h.t, "setup email status "+want, func() bool {
		ls, err := h.db.LatestSetupLinks(context.Background(), []int64{userID})
		if err != nil {
			h.t.Fatal(err)
		}
		l := ls[userID]
		got = delivery.SetupEmailText(&l, false)
		return strings.HasPrefix(got, want)
	})
	return got
}

func (h *harness) addMember(acc *accounts.Service, email, name string) *accounts.AddedMember {
	h.t.Helper()
	added, err := acc.AddMember(context.Background(), accounts.Operator(), accounts.NewMember{
		ProgramID: h.program.ID, Email: email, Name: name, Role: models.RoleResident, PGYYear: new(1)})
	if err != nil {
		h.t.Fatalf("add member: %v", err)
	}
	return added
}

func TestAddingAMemberEmailsThemAWorkingSetPasswordLink(t *testing.T) {
	h := newHarness(t)
	acc, _ := h.onboarding()
	added := h.addMember(acc, "nadia@hospital.example", "Dr. Nadia Haddad")
	if added.SetupEmail != models.LinkEmailQueued {
		t.Errorf("setup email %q, want queued", added.SetupEmail)
	}
	mails := h.smtp.WaitForMails(1)
	h.waitSetupStatus(added.User.ID, "sent")
	if got := h.smtp.Mails(); len(got) != 1 || got[0].To != "nadia@hospital.example" {
		t.Fatalf("want one email to the new member, got %+v", got)
	}
	token := setupToken(t, mails[0])
	if !strings.Contains(mails[0].Text, "A Mentorpulse account was made for nadia@hospital.example") {
		t.Errorf("the email is not a setup email:\n%s", mails[0].Text)
	}
	ls, _ := h.db.LatestSetupLinks(context.Background(), []int64{added.User.ID})
	if l := ls[added.User.ID]; l.SealedToken != nil {
		t.Error("the sealed token outlived the sent email")
	}
	if _, err := h.db.UsePasswordLink(context.Background(), token, newPassword); err != nil {
		t.Fatalf("the emailed link does not set a password: %v", err)
	}
	u, _ := h.db.UserByID(context.Background(), added.User.ID)
	ls, _ = h.db.LatestSetupLinks(context.Background(), []int64{added.User.ID})
	l := ls[added.User.ID]
	if got := delivery.SetupEmailText(&l, u.PasswordHash != ""); got != "password set" {
		t.Errorf("after the password is set the roster says %q", got)
	}
}

func TestImportingMembersEmailsEachNewOneOnce(t *testing.T) {
	h := newHarness(t)
	acc, _ := h.onboarding()
	csv := "email,name,role,pgy_year\n" +
		"a.one@hospital.example,Dr. A One,resident,1\n" +
		"b.two@hospital.example,Dr. B Two,resident,2\n" +
		"c.three@hospital.example,Dr. C Three,director,\n" +
		"amara@hospital.example,Dr. Amara Okafor,resident,3\n" // already a member: updated, not emailed
	res, err := acc.ImportMembers(context.Background(), accounts.Operator(), accounts.MemberImport{ProgramID: h.program.ID, CSV: strings.NewReader(csv)})
	if err != nil || res.Created != 3 || res.Updated != 1 || len(res.Errors) != 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	h.smtp.WaitForMails(3)
	for _, email := range []string{"a.one@hospital.example", "b.two@hospital.example", "c.three@hospital.example"} {
		u, err := h.db.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		h.waitSetupStatus(u.ID, "sent")
	}
	tokens := map[string]string{}
	for _, m := range h.smtp.Mails() {
		if _, dup := tokens[m.To]; dup {
			t.Errorf("%s got two emails", m.To)
		}
		tokens[m.To] = setupToken(t, m)
	}
	if len(tokens) != 3 || tokens["amara@hospital.example"] != "" {
		t.Fatalf("want one email per new member and none to the updated one, got %v", tokens)
	}
	for to, tok := range tokens {
		if _, err := h.db.UsePasswordLink(context.Background(), tok, newPassword); err != nil {
			t.Errorf("%s's link does not work: %v", to, err)
		}
	}
}

func TestResendEmailsANewLinkAndRetiresTheOld(t *testing.T) {
	h := newHarness(t)
	acc, _ := h.onboarding()
	added := h.addMember(acc, "nadia@hospital.example", "Dr. Nadia Haddad")
	old := setupToken(t, h.smtp.WaitForMails(1)[0])
	h.waitSetupStatus(added.User.ID, "sent")
	if err := acc.ResendSetupEmail(context.Background(), accounts.Operator(), accounts.PasswordLinkRequest{UserID: added.User.ID}); err != nil {
		t.Fatalf("resend: %v", err)
	}
	mails := h.smtp.WaitForMails(2)
	fresh := setupToken(t, mails[1])
	if fresh == old {
		t.Fatal("the resent email carries the old link")
	}
	if _, err := h.db.UsePasswordLink(context.Background(), old, newPassword); surveys.ErrorCode(err) != surveys.EGONE {
		t.Errorf("the old link after a resend: %v, want gone", err)
	}
	if _, err := h.db.UsePasswordLink(context.Background(), fresh, newPassword); err != nil {
		t.Errorf("the resent link does not work: %v", err)
	}
	// Once a password is set there is nothing to resend.
	if err := acc.ResendSetupEmail(context.Background(), accounts.Operator(), accounts.PasswordLinkRequest{UserID: added.User.ID}); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("resend after the password was set: %v, want invalid", err)
	}
	log, err := h.db.AuditLog(context.Background(), models.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == models.ActionPasswordLink && e.Target == fmt.Sprintf("user:%d", added.User.ID) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d password-link audit entries, want 1 for the resend", n)
	}
}

func TestARefusedSetupEmailShowsFailedWithAReasonButNoAddress(t *testing.T) {
	h := newHarness(t)
	h.smtp.Refuse("nadia@hospital.example")
	acc, _ := h.onboarding()
	added := h.addMember(acc, "nadia@hospital.example", "Dr. Nadia Haddad")
	got := h.waitSetupStatus(added.User.ID, "failed: ")
	if !strings.Contains(got, "mailbox unavailable") {
		t.Errorf("the reason does not say what the server answered: %q", got)
	}
	if strings.Contains(strings.ToLower(got), "nadia") {
		t.Errorf("the reason holds the address or name: %q", got)
	}
	if len(h.smtp.Mails()) != 0 {
		t.Error("a refused email was delivered")
	}
}

func TestWithoutMailAddingAMemberQueuesNothing(t *testing.T) {
	h := newHarness(t)
	s := h.newService(h.db) // not started: a queued job would stay visible
	acc := accounts.New(h.db, accounts.Config{BaseURL: baseURL})
	added := h.addMember(acc, "nadia@hospital.example", "Dr. Nadia Haddad")
	if added.SetupEmail != "" || !strings.HasPrefix(added.SetPasswordURL, baseURL+"/set-password/") {
		t.Errorf("want the link shown and no email, got %+v", added)
	}
	jobs := pendingJobs(t, s, delivery.SendPasswordLinkArgs{}.Kind())
	if len(jobs) != 0 {
		t.Errorf("%d set-password jobs queued without mail", len(jobs))
	}
	ls, _ := h.db.LatestSetupLinks(context.Background(), []int64{added.User.ID})
	if l := ls[added.User.ID]; l.SealedToken != nil || l.EmailStatus != nil {
		t.Errorf("a link shown on screen is sealed or has an email status: %+v", l)
	}
}

// pendingJobs lists a kind's jobs in any state.
func pendingJobs(t *testing.T, s *delivery.Service, kind string) []*rivertype.JobRow {
	t.Helper()
	res, err := s.River().JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(100))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}
