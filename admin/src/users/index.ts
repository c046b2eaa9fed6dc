import PeopleIcon from '@mui/icons-material/People'
import { UserList } from './UserList.tsx'
import { UserShow } from './UserShow.tsx'

export const users = { list: UserList, show: UserShow, icon: PeopleIcon }
