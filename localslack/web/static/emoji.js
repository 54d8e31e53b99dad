// Emoji shortcodes as the Slack client draws them. Only the ones Procedo sends (and a few
// common ones people type); an unknown :code: stays as typed, as in Slack.
export const EMOJI = {
  white_check_mark: "✅", heavy_check_mark: "✔️", leftwards_arrow_with_hook: "↩️", warning: "⚠️",
  bell: "🔔", hourglass: "⌛", hourglass_flowing_sand: "⏳", x: "❌", rotating_light: "🚨",
  inbox_tray: "📥", outbox_tray: "📤", repeat: "🔁", no_entry: "⛔", no_entry_sign: "🚫",
  calendar: "📆", spiral_calendar_pad: "🗓️", arrow_right: "➡️", arrow_double_up: "⏫",
  wastebasket: "🗑️", trophy: "🏆", tada: "🎉", palm_tree: "🌴", memo: "📝", heavy_plus_sign: "➕",
  eyes: "👀", alarm_clock: "⏰", zzz: "💤", white_circle: "⚪", sunny: "☀️",
  shopping_trolley: "🛒", red_circle: "🔴", large_orange_circle: "🟠", large_yellow_circle: "🟡",
  large_green_circle: "🟢", pencil2: "✏️", package: "📦", grey_question: "❔",
  ballot_box_with_check: "☑️", white_small_square: "▫️", thumbsup: "👍", "+1": "👍", smile: "😄",
  wave: "👋", clipboard: "📋", lock: "🔒", bar_chart: "📊", chart_with_upwards_trend: "📈",
  page_facing_up: "📄", pushpin: "📌", speech_balloon: "💬", moneybag: "💰", star: "⭐",
};

export function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, code) => EMOJI[code] || whole);
}
