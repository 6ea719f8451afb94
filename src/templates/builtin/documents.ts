/** Built-in document templates (data), per DOMAIN.md "What each printout holds". */
import type { DocumentBlock, DocumentTemplate, PageDocument } from '../template.ts'

const CLIENT_BLOCK: DocumentBlock = {
  type: 'fields',
  title: 'Client',
  columns: 2,
  rows: [
    { label: 'Client no.', value: '{{client.number}}' },
    { label: 'Name', value: '{{client.name}}' },
    { label: 'Phone', value: '{{client.phone}}' },
    { label: 'Email', value: '{{client.email}}' },
  ],
}

const SESSION_ROWS = [
  { label: 'Session no.', value: '{{session.number}}' },
  { label: 'Type', value: '{{session.type}}' },
  { label: 'Date', value: '{{session.date}}' },
  { label: 'Time', value: '{{session.start}} – {{session.end}} {{session.timeZone}}' },
  { label: 'Location', value: '{{session.location}}' },
  { label: 'Photographer', value: '{{session.photographer}}' },
]

export const BUILTIN_DOCUMENTS: Readonly<Record<PageDocument, DocumentTemplate>> = {
  'client-profile': {
    document: 'client-profile',
    kind: 'document',
    body: {
      title: 'Client Profile',
      blocks: [
        {
          type: 'fields',
          title: 'Client',
          columns: 2,
          rows: [
            { label: 'Client no.', value: '{{client.number}}' },
            { label: 'Status', value: '{{client.status}}' },
            { label: 'Name', value: '{{client.name}}' },
            { label: 'Salutation', value: '{{client.salutation}}' },
            { label: 'Organization', value: '{{client.organization}}' },
            { label: 'Email', value: '{{client.email}}' },
            { label: 'Lead source', value: '{{client.leadSource}}' },
          ],
        },
        { type: 'text', title: 'Family', value: '{{client.family}}' },
        { type: 'table', title: 'Addresses', source: 'client.addresses', columns: [{ header: 'Label', value: '{{address.label}}', width: 0.2 }, { header: 'Address', value: '{{address.text}}', width: 0.8 }], empty: 'No addresses.' },
        { type: 'table', title: 'Phones', source: 'client.phones', columns: [{ header: 'Label', value: '{{phone.label}}', width: 0.2 }, { header: 'Number', value: '{{phone.number}}', width: 0.8 }], empty: 'No phones.' },
        {
          type: 'table',
          title: 'Sessions',
          source: 'client.sessions',
          columns: [
            { header: 'No.', value: '{{session.number}}', width: 0.12 },
            { header: 'Date', value: '{{session.date}}', width: 0.18 },
            { header: 'Type', value: '{{session.type}}', width: 0.22 },
            { header: 'Photographer', value: '{{session.photographer}}', width: 0.28 },
            { header: 'Status', value: '{{session.status}}', width: 0.2 },
          ],
          empty: 'No sessions.',
        },
        {
          type: 'table',
          title: 'Invoices',
          source: 'client.invoices',
          columns: [
            { header: 'No.', value: '{{invoice.number}}', width: 0.14 },
            { header: 'Date', value: '{{invoice.date}}', width: 0.2 },
            { header: 'Type', value: '{{invoice.type}}', width: 0.26 },
            { header: 'Total', value: '{{invoice.total}}', width: 0.2, align: 'right' },
            { header: 'Balance', value: '{{invoice.balanceDue}}', width: 0.2, align: 'right' },
          ],
          empty: 'No invoices.',
        },
        { type: 'text', title: 'Notes', value: '{{client.notes}}' },
      ],
    },
  },
  'session-confirmation': {
    document: 'session-confirmation',
    kind: 'document',
    body: {
      title: 'Session Confirmation',
      blocks: [
        CLIENT_BLOCK,
        { type: 'fields', title: 'Session', columns: 2, rows: SESSION_ROWS },
        { type: 'text', title: 'Notes', value: '{{session.notes}}' },
        {
          type: 'totals',
          rows: [
            { label: 'Session fee', value: '{{session.fee}}' },
            { label: 'Deposit', value: '{{session.deposit}}' },
            { label: 'Balance', value: '{{session.balance}}', bold: true },
          ],
        },
        { type: 'text', title: 'Terms', value: 'Please arrive ten minutes early. Call {{studio.phone}} to reschedule.' },
      ],
    },
  },
  'photographer-confirmation': {
    document: 'photographer-confirmation',
    kind: 'document',
    body: {
      title: 'Photographer Confirmation',
      blocks: [
        {
          type: 'fields',
          title: 'Session',
          columns: 2,
          rows: [...SESSION_ROWS, { label: 'Assistant', value: '{{session.assistant}}' }, { label: 'Status', value: '{{session.status}}' }],
        },
        {
          type: 'fields',
          title: 'Client',
          columns: 2,
          rows: [
            { label: 'Client no.', value: '{{client.number}}' },
            { label: 'Name', value: '{{client.name}}' },
            { label: 'Phone', value: '{{client.phone}}' },
            { label: 'Organization', value: '{{client.organization}}' },
          ],
        },
        { type: 'text', title: 'Appointment notes', value: '{{session.notes}}' },
        {
          type: 'totals',
          when: 'photographerFees',
          rows: [
            { label: 'Session fee', value: '{{session.fee}}' },
            { label: 'Deposit', value: '{{session.deposit}}' },
            { label: 'Balance', value: '{{session.balance}}', bold: true },
          ],
        },
      ],
    },
  },
  invoice: {
    document: 'invoice',
    kind: 'document',
    body: {
      title: 'Invoice {{invoice.number}}',
      blocks: [
        {
          type: 'fields',
          columns: 2,
          rows: [
            { label: 'Invoice no.', value: '{{invoice.number}}' },
            { label: 'Date', value: '{{invoice.date}}' },
            { label: 'Type', value: '{{invoice.type}}' },
            { label: 'Session', value: '{{session.number}}' },
            { label: 'Client', value: '{{client.name}}' },
          ],
        },
        {
          type: 'fields',
          title: 'Bill to',
          columns: 1,
          rows: [
            { label: 'Name', value: '{{billTo.name}}' },
            { label: 'Address', value: '{{billTo.address}}' },
            { label: 'Phone', value: '{{billTo.phone}}' },
          ],
        },
        {
          type: 'table',
          source: 'invoice.lines',
          columns: [
            { header: 'Item', value: '{{line.item}}', width: 0.42 },
            { header: 'Image', value: '{{line.image}}', width: 0.14 },
            { header: 'Qty', value: '{{line.quantity}}', width: 0.1, align: 'right' },
            { header: 'Unit price', value: '{{line.unitPrice}}', width: 0.17, align: 'right' },
            { header: 'Amount', value: '{{line.total}}', width: 0.17, align: 'right' },
          ],
          empty: 'No lines.',
        },
        {
          type: 'totals',
          rows: [
            { label: 'Subtotal', value: '{{invoice.subtotal}}' },
            { label: '{{invoice.discountLabel}}', value: '{{invoice.discount}}' },
            { label: 'Tax', value: '{{invoice.tax}}' },
            { label: 'Shipping', value: '{{invoice.shipping}}' },
            { label: 'Total', value: '{{invoice.total}}', bold: true },
          ],
        },
        {
          type: 'table',
          title: 'Payments',
          source: 'invoice.payments',
          columns: [
            { header: 'Date', value: '{{payment.date}}', width: 0.3 },
            { header: 'Method', value: '{{payment.method}}', width: 0.4 },
            { header: 'Amount', value: '{{payment.amount}}', width: 0.3, align: 'right' },
          ],
          empty: 'No payments.',
        },
        { type: 'totals', rows: [{ label: 'Balance due', value: '{{invoice.balanceDue}}', bold: true }] },
        { type: 'text', title: 'Terms', value: '{{invoice.terms}}' },
      ],
    },
  },
  'work-order': {
    document: 'work-order',
    kind: 'document',
    body: {
      title: 'Work Order {{order.number}}',
      blocks: [
        {
          type: 'fields',
          columns: 2,
          rows: [
            { label: 'Production order no.', value: '{{order.number}}' },
            { label: 'Order type', value: '{{order.type}}' },
            { label: 'Order date', value: '{{order.date}}' },
            { label: 'Status', value: '{{order.status}}' },
            { label: 'Due', value: '{{order.dueDate}}' },
            { label: 'Vendor', value: '{{order.vendor}}' },
            { label: 'Client', value: '{{client.name}}' },
            { label: 'Invoices', value: '{{order.invoices}}' },
            { label: 'Session', value: '{{session.number}}' },
          ],
        },
        {
          type: 'table',
          source: 'order.lines',
          columns: [
            { header: 'Item', value: '{{line.item}}', width: 0.3 },
            { header: 'Image', value: '{{line.image}}', width: 0.12 },
            { header: 'Description', value: '{{line.description}}', width: 0.28 },
            { header: 'Qty', value: '{{line.quantity}}', width: 0.1, align: 'right' },
            { header: 'Price', value: '{{line.unitPrice}}', width: 0.2, align: 'right' },
          ],
          empty: 'No lines.',
        },
        { type: 'text', title: 'Studio notes', value: '{{order.studioNotes}}' },
        { type: 'text', title: 'Vendor notes', value: '{{order.vendorNotes}}' },
      ],
    },
  },
  'purchase-order': {
    document: 'purchase-order',
    kind: 'document',
    body: {
      title: 'Purchase Order {{order.number}}',
      blocks: [
        {
          type: 'fields',
          columns: 2,
          rows: [
            { label: 'Order no.', value: '{{order.number}}' },
            { label: 'Order date', value: '{{order.date}}' },
            { label: 'Buyer', value: '{{studio.name}}' },
            { label: 'Due', value: '{{order.dueDate}}' },
          ],
        },
        { type: 'fields', title: 'Vendor', columns: 1, rows: [{ label: 'Vendor', value: '{{order.vendor}}' }, { label: 'Address', value: '{{order.vendorAddress}}' }] },
        { type: 'fields', title: 'Ship to', columns: 1, rows: [{ label: 'Name', value: '{{studio.name}}' }, { label: 'Address', value: '{{studio.address}}' }, { label: 'Phone', value: '{{studio.phone}}' }] },
        {
          type: 'table',
          source: 'order.lines',
          columns: [
            { header: 'Item', value: '{{line.item}}', width: 0.34 },
            { header: 'Image', value: '{{line.image}}', width: 0.14 },
            { header: 'Description', value: '{{line.description}}', width: 0.4 },
            { header: 'Qty', value: '{{line.quantity}}', width: 0.12, align: 'right' },
          ],
          empty: 'No lines.',
        },
        { type: 'text', title: 'Vendor notes', value: '{{order.vendorNotes}}' },
      ],
    },
  },
}
