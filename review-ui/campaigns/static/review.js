// Keyboard shortcuts for the reviewer inbox. The page works without this file: every action is a plain form.
// j / k: next / previous item   a: keep   r: revoke   m: modify   u: undo   x: select for bulk   /: filter   ?: help
;(function () {
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-item]'))
  if (items.length === 0 && !document.querySelector('[data-inbox]')) return
  var current = 0
  function focusItem(i) {
    if (items.length === 0) return
    current = Math.max(0, Math.min(items.length - 1, i))
    items.forEach(function (el, n) { el.classList.toggle('item--current', n === current) })
    items[current].focus()
    items[current].scrollIntoView({ block: 'nearest' })
  }
  function within(selector) {
    var item = items[current]
    return item ? item.querySelector(selector) : null
  }
  function press(decision) {
    var button = within('button[name="decision"][value="' + decision + '"]')
    if (!button) return
    if (decision !== 'keep') {
      var reason = within('textarea[name="reason"], input[name="reason"]')
      if (reason && !reason.value) { reason.focus(); return }
    }
    button.click()
  }
  document.addEventListener('keydown', function (e) {
    var t = e.target
    if (e.ctrlKey || e.metaKey || e.altKey) return
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
      if (e.key === 'Escape') { t.blur(); focusItem(current) }
      return
    }
    var help = document.getElementById('shortcuts')
    switch (e.key) {
      case 'j': focusItem(current + 1); break
      case 'k': focusItem(current - 1); break
      case 'a': press('keep'); break
      case 'r': press('revoke'); break
      case 'm': press('modify'); break
      case 'u': { var undo = within('button[data-undo]'); if (undo) undo.click(); break }
      case 'x': { var box = within('input[type="checkbox"][name="item"]'); if (box) box.checked = !box.checked; break }
      case '/': { var f = document.getElementById('text'); if (f) { e.preventDefault(); f.focus() } break }
      case '?': if (help) { help.open = !help.open } break
      default: return
    }
  })
  var start = items.findIndex(function (el) { return el.getAttribute('data-pending') === '1' })
  if (items.length) focusItem(start >= 0 ? start : 0)
})()
