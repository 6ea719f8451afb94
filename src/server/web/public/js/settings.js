// @ts-check
// Settings: studio header and logo, barcoding preferences, status tracks (edited here), printers
// (live status), scanners, stations, tokens. One module per panel (settings/*.js); this entry
// wires them: the state they share goes to each explicitly, and so do the reloads one asks of another.
import { fillStationLinks } from './shell.js'
import { newSettingsState } from './settings/common.js'
import { studioPanel } from './settings/studio.js'
import { barcodingPanel } from './settings/barcoding.js'
import { tracksPanel } from './settings/tracks.js'
import { printersPanel } from './settings/printers.js'
import { stationsPanel } from './settings/stations.js'
import { scannersPanel } from './settings/scanners.js'
import { tokensPanel } from './settings/tokens.js'

const state = newSettingsState()
const studio = studioPanel()
const barcoding = barcodingPanel()
// Saved tracks rename the stations' targets; a deleted station takes its scanners; a changed scanner count shows at its station.
const tracks = tracksPanel(state, { onSaved: () => void stations.load() })
const printers = printersPanel()
const stations = stationsPanel(state, { reloadScanners: () => scanners.load() })
const scanners = scannersPanel(state, { reloadStations: () => stations.load() })
const tokens = tokensPanel()

async function init() {
  fillStationLinks()
  await Promise.all([studio.load(), barcoding.load(), tracks.load(), scanners.load(), tokens.load(), stations.loadScanningPreferences()])
  await stations.load()
  const printersLive = await printers.load()
  document.body.dataset.ready = '1'
  if (printersLive) {
    setInterval(() => {
      if (!document.hidden) printers.load()
    }, 3000)
    setInterval(() => {
      if (!document.hidden) scanners.load()
    }, 5000)
  }
}
init()
