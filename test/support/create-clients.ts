/** Child process for the numbering test: creates N clients on DATABASE_URL and prints their numbers as JSON. */
import { createDb } from '../../src/store/create-db.ts'
import { ClientStore } from '../../src/store/records-store.ts'

const [url, countText, tag] = process.argv.slice(2)
const db = await createDb(url)
const store = new ClientStore(db.db)
const numbers = await Promise.all(Array.from({ length: Number(countText) }, (_, i) => store.create({ lastName: `${tag}${i}`, firstName: '', addresses: [], phones: [], status: 'active', familyMembers: [] }).then((c) => c.number)))
await db.close()
process.stdout.write(JSON.stringify(numbers))
