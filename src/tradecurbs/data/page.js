// Filter the rows of a table by the words typed in the search box that names it (data-table).
document.querySelectorAll("input[data-table]").forEach(function (box) {
  var table = document.getElementById(box.getAttribute("data-table"));
  var count = document.getElementById(box.getAttribute("data-count"));
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    if (count) { count.textContent = shown; }
  });
});
