# The template's texts in English. Add your own in a file of your own beside this one
# (e.g. my_texts.ftl): `copier update` merges changes into this file, never into yours.
# Texts are HTML (Telegram's parse mode): the values inserted, such as { $name }, are escaped.

start-greeting =
    Hello, { $name }!
    Send /register to create your profile and /profile to see it.

cancel-nothing = Nothing to cancel.
cancel-done = Cancelled.

profile-missing = You are not registered yet. Send /register.
profile =
    Your profile
    Name: { $name }
    E-mail: { $email }
profile-link = Your link to invite others: { $link }

register-ask-name = What is your name?
register-bad-name = Please send a name of 1 to { $max } characters.
register-ask-email = Nice to meet you, { $name }. What is your e-mail?
register-bad-email = That is not an e-mail address. Please send one like name@example.com.
register-saved = Saved! Send /profile to see your profile.
register-not-text = Please answer with text, or send /cancel to stop.

fallback = I did not understand that. Try /register, /profile or /cancel.
button-expired = This button no longer works.

language-name = English
language-choose = Choose your language:
language-set = Done: I will speak English with you.

error-failed = Sorry, something went wrong. Please try again later.
error-reset = Sorry, your conversation state was damaged and has been reset. Please start again.
throttled = You are sending messages too fast. Please wait a few seconds.

# The command menu (menu.py): each command-<name> is /<name>, in this order.
command-start = Start the bot
command-register = Create or replace your profile
command-profile = Show your profile
command-cancel = Cancel the current dialog
command-language = Choose the language
