# Die Texte der Vorlage auf Deutsch. Eigene Texte gehören in eine eigene Datei daneben
# (z. B. my_texts.ftl): `copier update` ändert diese Datei, nie deine.
# Die Texte sind HTML (Telegrams Formatierung): eingesetzte Werte wie { $name } werden maskiert.

start-greeting =
    Hallo, { $name }!
    Sende /register, um dein Profil anzulegen, und /profile, um es anzusehen.

cancel-nothing = Es gibt nichts abzubrechen.
cancel-done = Abgebrochen.

profile-missing = Du bist noch nicht registriert. Sende /register.
profile =
    Dein Profil
    Name: { $name }
    E-Mail: { $email }
profile-link = Dein Link, um andere einzuladen: { $link }

register-ask-name = Wie heißt du?
register-bad-name = Bitte sende einen Namen mit 1 bis { $max } Zeichen.
register-ask-email = Schön, dich kennenzulernen, { $name }. Wie lautet deine E-Mail-Adresse?
register-bad-email = Das ist keine E-Mail-Adresse. Bitte sende eine wie name@example.com.
register-saved = Gespeichert! Sende /profile, um dein Profil anzusehen.
register-not-text = Bitte antworte mit Text oder sende /cancel, um abzubrechen.

fallback = Das habe ich nicht verstanden. Versuche es mit /register, /profile oder /cancel.
button-expired = Diese Schaltfläche funktioniert nicht mehr.

language-name = Deutsch
language-choose = Wähle deine Sprache:
language-set = Erledigt: Ab jetzt spreche ich Deutsch mit dir.

error-failed = Entschuldigung, da ist etwas schiefgelaufen. Bitte versuche es später noch einmal.
error-reset = Entschuldigung, der Stand deines Gesprächs war beschädigt und wurde zurückgesetzt. Bitte fang noch einmal von vorn an.
throttled = Du sendest Nachrichten zu schnell. Bitte warte ein paar Sekunden.

# Das Befehlsmenü (menu.py): jedes command-<name> ist /<name>, in dieser Reihenfolge.
command-start = Den Bot starten
command-register = Profil anlegen oder ersetzen
command-profile = Dein Profil anzeigen
command-cancel = Den aktuellen Dialog abbrechen
command-language = Sprache wählen
