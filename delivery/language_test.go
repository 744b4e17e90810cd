package delivery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/i18n"
)

// TestEmailAndReminderGoOutInTheProgramsFirstLanguage: a program whose
// survey languages are [es en] sends the survey email and its reminder in
// Spanish, subject, text and HTML, with Spanish dates; the link is the
// same one, and no English sentence is left.
func TestEmailAndReminderGoOutInTheProgramsFirstLanguage(t *testing.T) {
	h := newHarness(t)
	if err := h.db.UpdateSurveyLanguages(context.Background(), h.program.ID, []string{"es", "en"}); err != nil {
		t.Fatal(err)
	}
	s := h.running()
	meeting, _ := time.Parse(time.DateOnly, h.today())
	rec := h.record(s, mentee(1))
	h.smtp.WaitForMails(1)
	deliverytest.WaitForJob(t, s, rec.SendJobID)
	h.clock.Advance(3*24*time.Hour + time.Minute)
	if n := h.runDue(s); n != 1 {
		t.Fatalf("%d jobs due after three days, want the reminder", n)
	}
	mails := h.smtp.WaitForMails(2)
	deliverytest.WaitForJob(t, s, rec.ReminderJobID)

	es := i18n.For("es")
	for i, want := range []struct{ subject, intro string }{
		{"Tu opinión sobre la reunión con Dr. Amara Okafor", "A Dr. Amara Okafor (Internal Medicine) le gustaría conocer tu opinión"},
		{"Recordatorio: tu opinión sobre la reunión con Dr. Amara Okafor", "Un breve recordatorio: a Dr. Amara Okafor (Internal Medicine) le gustaría"},
	} {
		m := mails[i]
		if m.Subject != want.subject {
			t.Errorf("email %d subject %q, want %q", i, m.Subject, want.subject)
		}
		for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
			for _, says := range []string{"Hola, ", want.intro, es.WeekdayDate(meeting), "El enlace funciona una sola vez",
				"tus respuestas son anónimas", "como máximo 1 recordatorio"} {
				if !strings.Contains(body, says) {
					t.Errorf("email %d %s part lacks %q:\n%s", i, part, says, body)
				}
			}
			if strings.Contains(body, "would value") || strings.Contains(body, "Privacy:") || strings.Contains(body, "Hello") {
				t.Errorf("email %d %s part has English left:\n%s", i, part, body)
			}
		}
		if !strings.Contains(m.HTML, `<html lang="es">`) || !strings.Contains(m.HTML, ">Dar mi opinión</a>") {
			t.Errorf("email %d HTML is not marked Spanish or lacks the button:\n%s", i, m.HTML)
		}
	}
	_, first := mails[0].Link()
	_, again := mails[1].Link()
	wantLinkOf(t, first, rec)
	if again != first {
		t.Errorf("the Spanish reminder links to %q, want %q", again, first)
	}
}

// TestEmailStaysEnglishForAnEnglishProgram keeps the English wording the
// catalogue's English messages hold.
func TestEmailStaysEnglishForAnEnglishProgram(t *testing.T) {
	h := newHarness(t)
	s := h.running()
	h.record(s, mentee(1))
	m := h.smtp.WaitForMails(1)[0]
	if m.Subject != "Feedback on your meeting with Dr. Amara Okafor" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, says := range []string{"Dr. Amara Okafor (Internal Medicine) would value your feedback on your mentoring meeting on",
		"It takes about a minute:", "Privacy: your answers are anonymous.", "and at most 1 reminder, and it is deleted"} {
		if !strings.Contains(m.Text, says) {
			t.Errorf("text part lacks %q:\n%s", says, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `<html lang="en">`) {
		t.Error("the English email is not marked English")
	}
}
