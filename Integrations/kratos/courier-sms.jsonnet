// Ory Kratos's HTTP courier -> Switchboard's POST /v1/messages.
//
// Kratos calls this with `ctx`: `recipient` (the number), `body` (Kratos's own rendering of the
// message), `template_type` (login_code_valid, verification_code_valid, ...), `template_data` (the
// values of that template) and `message_type`. A message that carries a code goes out as the app's
// OTP message, so Switchboard's template, sender, routes and code masking in the message log apply;
// any other message goes out with Kratos's text.
//
// Set `app` to the id of the app in Switchboard's config.yaml.
local app = 'shop';
local codeFields = ['login_code', 'verification_code', 'registration_code', 'recovery_code'];

function(ctx)
  local data = if std.objectHas(ctx, 'template_data') && std.isObject(ctx.template_data) then ctx.template_data else {};
  local codes = [data[field] for field in codeFields if std.objectHas(data, field) && data[field] != ''];
  local minutes = if std.objectHas(data, 'expires_in_minutes') && data.expires_in_minutes > 0 then { minutes: data.expires_in_minutes } else {};
  { to: ctx.recipient, app: app }
  + if std.length(codes) > 0 then { otp: codes[0] } + minutes else { text: ctx.body, kind: 'transactional' }
