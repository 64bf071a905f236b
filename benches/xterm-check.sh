#!/bin/bash
# Stale cells in a real terminal (issue 17): every pair of views, directly and with a
# resize between them, in a real xterm under Xvfb, each screenshot compared pixel by pixel
# with the same view painted whole onto a cleared screen (the view, then a resize).
# tmux and ratatui's TestBackend model cells; xterm with a TrueType font (-fa) draws
# pixels, and glyphs that overflow their cells leave pixels only a repaint removes.
#
#   apt-get install -y xvfb xterm xdotool imagemagick fonts-dejavu-core
#   bevaka demo --as-of 2014-12-31 --out /tmp/demo.db
#   benches/xterm-check.sh target/release/bevaka /tmp/demo.db /tmp/xterm-check 100x30 \
#       "DejaVu Sans Mono"
#
# Prints the differing pixels per pair and how many pairs differ. The status line (its
# age and messages change with time) is left out of the comparison.
set -u
BIN=$1; SNAP=$2; OUT=$3; GEO=${4:-100x30}; FONT=${5:-DejaVu Sans Mono}
DISPLAY_NO=:77
Xvfb $DISPLAY_NO -screen 0 1600x1000x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB' EXIT
sleep 1
export DISPLAY=$DISPLAY_NO
mkdir -p "$OUT"
# shot NAME KEYS...: a fresh bevaka in a fresh xterm; keys are views (1-5) or R (a resize
# to a small window and back, which repaints everything).
shot() {
  local name=$1; shift
  LANG=C.UTF-8 LC_ALL=C.UTF-8 xterm -u8 -xrm 'XTerm*allowSendEvents: true' -fa "$FONT" \
    -fs 10 -title "x$name" -geometry "${GEO}+0+0" \
    -e "$BIN" --today 2014-12-31 --snapshot "$SNAP" &
  local pid=$!
  sleep 1.5
  local W
  W=$(xdotool search --name "x$name" | head -1)
  local size
  size=$(xdotool getwindowgeometry "$W" | awk '/Geometry/{print $2}')
  for k in "$@"; do
    if [ "$k" = R ]; then
      xdotool windowsize "$W" 400 250; sleep 0.7
      xdotool windowsize "$W" "${size%x*}" "${size#*x}"; sleep 0.7
    else
      xdotool key --window "$W" "$k"; sleep 0.7
    fi
  done
  sleep 0.5
  local h=${size#*x}
  xwd -id "$W" -silent | convert xwd:- -crop "${size%x*}x$((h - 16))+0+0" +repage "$OUT/$name.png"
  kill $pid; wait $pid 2>/dev/null
}
for v in 1 2 3 4 5; do shot "direct-$v" $v R; done
bad=0
for u in 1 2 3 4 5; do for v in 1 2 3 4 5; do
  [ $u = $v ] && continue
  for n in "$u-$v" "$u-R-$v"; do
    if [ "$n" = "$u-$v" ]; then shot "$n" $u $v; else shot "$n" $u R $v; fi
    d=$(compare -metric AE "$OUT/$n.png" "$OUT/direct-$v.png" /dev/null 2>&1)
    echo "$n differing pixels: $d"
    [ "$d" != 0 ] && bad=$((bad + 1))
  done
done; done
echo "pairs with differences: $bad"
