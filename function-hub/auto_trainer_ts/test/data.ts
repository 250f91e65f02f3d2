// The data sets the hub ships (function-hub/load_dataset/data), read with polars.

import {fileURLToPath} from 'node:url'
import pl from 'nodejs-polars'

export const dataPath = (name: string): string => fileURLToPath(new URL(`../../load_dataset/data/${name}.csv`, import.meta.url))
export const breastCancer = (): pl.DataFrame => pl.readCSV(dataPath('breast_cancer'))
export const iris = (): pl.DataFrame => pl.readCSV(dataPath('iris'))
