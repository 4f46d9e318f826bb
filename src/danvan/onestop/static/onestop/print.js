// "In phiếu": open the browser's print dialog (the page prints on A4 without this, too).
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest("[data-print]")) {
    window.print();
  }
});
