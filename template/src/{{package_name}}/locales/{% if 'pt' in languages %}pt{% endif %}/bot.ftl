# Os textos do modelo em português. Adicione os seus em um arquivo próprio ao lado deste
# (por exemplo, my_texts.ftl): o `copier update` altera este arquivo, nunca os seus.
# Os textos são HTML (o modo de formatação do Telegram): os valores inseridos, como { $name }, são escapados.

start-greeting =
    Olá, { $name }!
    Envie /register para criar seu perfil e /profile para vê-lo.

cancel-nothing = Não há nada para cancelar.
cancel-done = Cancelado.

profile-missing = Você ainda não se registrou. Envie /register.
profile =
    Seu perfil
    Nome: { $name }
    E-mail: { $email }
profile-link = Seu link para convidar outras pessoas: { $link }

register-ask-name = Qual é o seu nome?
register-bad-name = Envie um nome de 1 a { $max } caracteres.
register-ask-email = Prazer em conhecer você, { $name }. Qual é o seu e-mail?
register-bad-email = Isso não é um endereço de e-mail. Envie um como nome@example.com.
register-saved = Salvo! Envie /profile para ver seu perfil.
register-not-text = Responda com texto ou envie /cancel para parar.

fallback = Não entendi. Tente /register, /profile ou /cancel.
button-expired = Este botão não funciona mais.

language-name = Português
language-choose = Escolha seu idioma:
language-set = Pronto: a partir de agora falo com você em português.

error-failed = Desculpe, algo deu errado. Tente novamente mais tarde.
error-reset = Desculpe, o estado da sua conversa estava corrompido e foi redefinido. Comece de novo.
throttled = Você está enviando mensagens rápido demais. Aguarde alguns segundos.

# O menu de comandos (menu.py): cada command-<nome> é /<nome>, nesta ordem.
command-start = Iniciar o bot
command-register = Criar ou substituir seu perfil
command-profile = Ver seu perfil
command-cancel = Cancelar o diálogo atual
command-language = Escolher o idioma
