/** Built-in label templates (data). Large: 4x6 in; small: 2.25x1.25 in (also scaled to DYMO 30252). */
import type { LayoutTemplate } from '../template.ts'

export const CLIENT_LABEL_LARGE: LayoutTemplate = {
  document: 'client-label',
  kind: 'layout',
  body: {
    widthMm: 101.6,
    heightMm: 152.4,
    elements: [
      { type: 'text', x: 6, y: 6, width: 70, size: 4, text: '{{studio.name}}' },
      { type: 'logo', x: 77.6, y: 2, width: 18, height: 9 },
      { type: 'line', x1: 6, y1: 12, x2: 95.6, y2: 12, thickness: 0.5 },
      { type: 'text', x: 6, y: 18, width: 89.6, size: 9, text: '{{client.name}}', maxLines: 3, bold: true },
      { type: 'text', x: 6, y: 52, width: 89.6, size: 6, text: 'Client no. {{client.number}}' },
      { type: 'text', x: 6, y: 62, width: 89.6, size: 6, text: '{{client.phone}}' },
      { type: 'text', x: 6, y: 72, width: 89.6, size: 4.5, text: '{{client.organization}}', maxLines: 2 },
      { type: 'barcode', x: 6, y: 95, width: 89.6, height: 50 },
    ],
  },
}

export const CLIENT_LABEL_SMALL: LayoutTemplate = {
  document: 'client-label',
  kind: 'layout',
  body: {
    widthMm: 57.15,
    heightMm: 31.75,
    elements: [
      { type: 'text', x: 2.5, y: 1.8, width: 52, size: 4, text: '{{client.name}}', bold: true },
      { type: 'text', x: 2.5, y: 6.6, width: 52, size: 3, text: 'No. {{client.number}}   {{client.phone}}' },
      { type: 'barcode', x: 2.5, y: 11, width: 52, height: 19.5 },
    ],
  },
}

export const ORDER_LABEL_LARGE: LayoutTemplate = {
  document: 'order-label',
  kind: 'layout',
  body: {
    widthMm: 101.6,
    heightMm: 152.4,
    elements: [
      { type: 'text', x: 6, y: 5, width: 70, size: 4, text: 'Production order' },
      { type: 'logo', x: 77.6, y: 1.5, width: 18, height: 8.5 },
      { type: 'text', x: 6, y: 11, width: 89.6, size: 16, text: '{{order.number}}', bold: true },
      { type: 'line', x1: 6, y1: 30, x2: 95.6, y2: 30, thickness: 0.6 },
      { type: 'text', x: 6, y: 34, width: 89.6, size: 6.5, text: '{{client.name}}', maxLines: 2, bold: true },
      { type: 'text', x: 6, y: 50, width: 89.6, size: 4.5, text: 'Session {{session.number}}' },
      { type: 'text', x: 6, y: 57, width: 89.6, size: 4.5, text: 'Vendor: {{order.vendor}}' },
      { type: 'text', x: 6, y: 64, width: 89.6, size: 4.5, text: 'Status: {{order.status}}' },
      { type: 'text', x: 6, y: 71, width: 89.6, size: 4.5, text: 'Items: {{order.itemCount}}' },
      { type: 'text', x: 6, y: 78, width: 89.6, size: 4.5, text: 'Due: {{order.dueDate}}' },
      { type: 'barcode', x: 6, y: 95, width: 89.6, height: 50 },
    ],
  },
}

export const ORDER_LABEL_SMALL: LayoutTemplate = {
  document: 'order-label',
  kind: 'layout',
  body: {
    widthMm: 57.15,
    heightMm: 31.75,
    elements: [
      { type: 'text', x: 2.5, y: 1.5, width: 24, size: 5, text: '{{order.number}}', bold: true },
      { type: 'text', x: 27, y: 1.5, width: 28, size: 2.4, text: 'Due {{order.dueDate}}', align: 'right' },
      { type: 'text', x: 27, y: 4.4, width: 28, size: 2.4, text: '{{order.itemCount}} items', align: 'right' },
      { type: 'text', x: 2.5, y: 7.4, width: 52, size: 2.6, text: '{{client.name}} · S {{session.number}}' },
      { type: 'text', x: 2.5, y: 10.4, width: 52, size: 2.6, text: '{{order.vendor}} · {{order.status}}' },
      { type: 'barcode', x: 2.5, y: 14, width: 52, height: 16.5 },
    ],
  },
}

export const BUILTIN_LABELS = {
  'client-label': { large: CLIENT_LABEL_LARGE, small: CLIENT_LABEL_SMALL },
  'order-label': { large: ORDER_LABEL_LARGE, small: ORDER_LABEL_SMALL },
} as const
