# Los textos de la plantilla en español. Añade los tuyos en un archivo propio junto a este
# (p. ej. my_texts.ftl): `copier update` aplica cambios a este archivo, nunca a los tuyos.
# Los textos son HTML (el modo de formato de Telegram): los valores insertados, como { $name }, se escapan.

start-greeting =
    ¡Hola, { $name }!
    Envía /register para crear tu perfil y /profile para verlo.

cancel-nothing = No hay nada que cancelar.
cancel-done = Cancelado.

profile-missing = Todavía no te has registrado. Envía /register.
profile =
    Tu perfil
    Nombre: { $name }
    Correo electrónico: { $email }
profile-link = Tu enlace para invitar a otros: { $link }

register-ask-name = ¿Cómo te llamas?
register-bad-name = Envía un nombre de entre 1 y { $max } caracteres.
register-ask-email = Encantado de conocerte, { $name }. ¿Cuál es tu correo electrónico?
register-bad-email = Eso no es una dirección de correo electrónico. Envía una como nombre@example.com.
register-saved = ¡Guardado! Envía /profile para ver tu perfil.
register-not-text = Responde con texto o envía /cancel para salir.

fallback = No te he entendido. Prueba /register, /profile o /cancel.
button-expired = Este botón ya no funciona.

language-name = Español
language-choose = Elige tu idioma:
language-set = Hecho: a partir de ahora te hablo en español.

error-failed = Lo sentimos, algo ha salido mal. Inténtalo de nuevo más tarde.
error-reset = Lo sentimos, el estado de tu conversación estaba dañado y se ha restablecido. Vuelve a empezar.
throttled = Envías mensajes demasiado rápido. Espera unos segundos, por favor.

# El menú de comandos (menu.py): cada command-<nombre> es /<nombre>, en este orden.
command-start = Iniciar el bot
command-register = Crear o reemplazar tu perfil
command-profile = Ver tu perfil
command-cancel = Cancelar el diálogo actual
command-language = Elegir el idioma
