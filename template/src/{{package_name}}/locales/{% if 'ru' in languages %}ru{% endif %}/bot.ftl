# Тексты шаблона на русском. Свои добавляйте в отдельный файл рядом (например, my_texts.ftl):
# `copier update` вносит изменения в этот файл, но не в ваши.
# Тексты — HTML (режим разметки Telegram): подставляемые значения, как { $name }, экранируются.

start-greeting =
    Привет, { $name }!
    Отправьте /register, чтобы создать профиль, и /profile, чтобы посмотреть его.

cancel-nothing = Отменять нечего.
cancel-done = Отменено.

profile-missing = Вы ещё не зарегистрированы. Отправьте /register.
profile =
    Ваш профиль
    Имя: { $name }
    Эл. почта: { $email }
profile-link = Ваша ссылка для приглашения: { $link }

register-ask-name = Как вас зовут?
register-bad-name = Пожалуйста, отправьте имя длиной от 1 до { $max } символов.
register-ask-email = Приятно познакомиться, { $name }. Какой у вас адрес электронной почты?
register-bad-email = Это не адрес электронной почты. Пожалуйста, отправьте адрес вида name@example.com.
register-saved = Сохранено! Отправьте /profile, чтобы посмотреть профиль.
register-not-text = Пожалуйста, ответьте текстом или отправьте /cancel, чтобы прекратить.

fallback = Не понимаю. Попробуйте /register, /profile или /cancel.
button-expired = Эта кнопка больше не работает.

language-name = Русский
language-choose = Выберите язык:
language-set = Готово: теперь я говорю с вами по-русски.

error-failed = Извините, что-то пошло не так. Пожалуйста, попробуйте позже.
error-reset = Извините, состояние диалога было повреждено и сброшено. Пожалуйста, начните заново.

# Меню команд (menu.py): каждое command-<имя> — это /<имя>, в этом порядке.
command-start = Запустить бота
command-register = Создать или заменить профиль
command-profile = Показать профиль
command-cancel = Отменить текущий диалог
command-language = Выбрать язык
