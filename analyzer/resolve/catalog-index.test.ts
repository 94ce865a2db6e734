import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { loadCatalog } from '../../data/catalog/index.js'
import { buildCatalogIndex, rehydrateCatalogIndex, serializeCatalogIndex, type SerializedCatalogIndex } from './catalog-index.js'
import { serializedShippedIndex } from './resolver.js'

const entries = loadCatalog().entries
const throughJson = (data: SerializedCatalogIndex): SerializedCatalogIndex => JSON.parse(JSON.stringify(data)) as SerializedCatalogIndex

describe('serialized catalog index', () => {
  it('should read back as the very index it was made from, for the whole shipped catalog', () => {
    const built = buildCatalogIndex(entries)
    const back = rehydrateCatalogIndex(throughJson(serializeCatalogIndex(built)), entries)
    expect(back).not.toBeNull()
    // Same maps, same order in every list (precedence order decides ties), same entry objects.
    expect(isDeepStrictEqual(back, built)).toBe(true)
    // The typo buckets are made on first use; they still come out the same.
    expect(back!.longNamesByLength.size).toBeGreaterThan(0)
    expect(isDeepStrictEqual(back!.longNamesByLength, built.longNamesByLength)).toBe(true)
    expect(isDeepStrictEqual(back!.shortNamesByLength, built.shortNamesByLength)).toBe(true)
    expect(back!.merchants.get([...built.merchants.keys()][0]!)![0]).toBe(built.merchants.get([...built.merchants.keys()][0]!)![0])
  })

  it('should refuse entries it was not made for: one added, one missing, or the same keys in another order', () => {
    const data = throughJson(serializeCatalogIndex(buildCatalogIndex(entries)))
    const custom = { ...entries[0]!, key: 'acme-wiki', name: 'Acme Wiki' }
    expect(rehydrateCatalogIndex(data, [...entries, custom])).toBeNull()
    expect(rehydrateCatalogIndex(data, entries.slice(1))).toBeNull()
    expect(rehydrateCatalogIndex(data, [entries[1]!, entries[0]!, ...entries.slice(2)])).toBeNull()
  })

  it('should give the build the shipped index with the not-apps, checked on the way out', () => {
    const data = JSON.parse(serializedShippedIndex()) as SerializedCatalogIndex
    expect(data.keys.length).toBeGreaterThan(entries.length)
    expect(data.keys.slice(0, entries.length)).toEqual(entries.map((e) => e.key))
  })
})
