// The pages' only script (the Content-Security-Policy allows no inline handler): a button with
// data-print prints that part of the page alone (site.css hides the rest while printing).
document.addEventListener("click", event => {
    const button = event.target.closest("button[data-print]");
    if (button) {
        document.body.dataset.print = button.dataset.print;
        window.print();
    }
});
