// Runs in pages (never in incognito: the manifest says not_allowed). On a form submit it reads how many password
// fields there are and the email typed — never a password, never the page — and tells the background.
import type { FormSnapshot } from './rules.js'

function snapshot(form: HTMLFormElement | null, root: ParentNode, submitter: Element | null): FormSnapshot {
  const scope: ParentNode = form ?? root
  const inputs = Array.from(scope.querySelectorAll('input'))
  const passwords = inputs.filter((i) => i.type === 'password')
  const emailField = inputs.find((i) => i.type === 'email' || /e-?mail|user(name)?|login/i.test(`${i.name} ${i.id} ${i.autocomplete}`))
  const hints = [form?.id, form?.getAttribute('name'), form?.getAttribute('action'), submitter?.textContent, submitter?.getAttribute('value'), document.title]
    .filter(Boolean)
    .join(' ')
    .toLowerCase()
    .slice(0, 500)
  return {
    passwordFields: passwords.length,
    newPasswordFields: passwords.filter((p) => p.autocomplete === 'new-password').length,
    email: emailField && emailField.type !== 'password' ? emailField.value.slice(0, 320) : null,
    hints,
  }
}

function report(s: FormSnapshot): void {
  if (!s.email) return
  chrome.runtime.sendMessage({ type: 'form-submit', form: s }).catch(() => undefined)
}

document.addEventListener(
  'submit',
  (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null
    report(snapshot(form, document, (event as SubmitEvent).submitter ?? null))
  },
  true,
)

// Single-page log-ins often never submit a form: a click on a button next to a password field counts too.
document.addEventListener(
  'click',
  (event) => {
    const button = event.target instanceof Element ? event.target.closest('button, input[type=submit], [role=button]') : null
    if (!button || button.closest('form')) return
    const container = button.closest('section, main, div') ?? document
    if (!container.querySelector('input[type=password]')) return
    report(snapshot(null, container, button))
  },
  true,
)
