// Copy buttons: progressive enhancement; without script the field stays selectable.
document.querySelectorAll('[data-copy]').forEach(function (button) {
  button.addEventListener('click', function () {
    var field = document.getElementById(button.getAttribute('data-copy'));
    field.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
    button.textContent = 'Copied';
  });
});
