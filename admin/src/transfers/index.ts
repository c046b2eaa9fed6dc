import SwapHorizIcon from '@mui/icons-material/SwapHoriz'
import { TransferList } from './TransferList.tsx'
import { TransferShow } from './TransferShow.tsx'

export const transfers = { list: TransferList, show: TransferShow, icon: SwapHorizIcon }
