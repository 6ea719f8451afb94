/** A client with every field filled in; no value holds the name of a field (the search tests rely on it). */
export const fullClient = {
  lastName: 'Okafor',
  firstName: 'Amara',
  salutation: 'Ms.',
  organization: 'Lakeside High',
  addresses: [{ label: 'home', lines: ['12 Elm St'], city: 'Portland', region: 'ME', postalCode: '04101', country: 'US' }],
  phones: [{ label: 'mobile', number: '(207) 555-0111' }],
  email: 'amara@okafor.example',
  status: 'prospect',
  familyMembers: ['Chidi Okafor'],
  leadSource: 'referral',
  notes: 'Prefers morning light; 100% happy with proofs',
}
