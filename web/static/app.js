// newsgraph: conveniences only; every page works without this script.
// Pointing at a speaker in the panel outlines their quotations in the text.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".panel .speaker").forEach(function (sec) {
    var tint = Array.from(sec.classList).find(function (c) { return /^t\d$/.test(c); });
    if (!tint) return;
    var cls = "s" + tint.slice(1);
    function mark(on) {
      document.querySelectorAll(".text .q." + cls).forEach(function (q) { q.classList.toggle("hl", on); });
    }
    sec.addEventListener("mouseenter", function () { mark(true); });
    sec.addEventListener("mouseleave", function () { mark(false); });
  });
});
