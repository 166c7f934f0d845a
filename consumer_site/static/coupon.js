document.querySelector("[data-copy]").addEventListener("click",function(){var b=this,s=document.getElementById("copy-status");
function done(){s.textContent=b.dataset.copied}function fail(){var r=document.createRange();r.selectNodeContents(document.getElementById("coupon-code"));getSelection().removeAllRanges();getSelection().addRange(r);s.textContent=b.dataset.failed}
if(navigator.clipboard){navigator.clipboard.writeText(b.dataset.copy).then(done,fail)}else{fail()}});
