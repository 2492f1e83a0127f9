// Small progressive enhancement; every page works without it.
// Forms marked data-confirm ask before they are sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
