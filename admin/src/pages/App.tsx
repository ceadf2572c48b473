import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { PERMISSIONS } from '../permissions';
import { BackfillPage } from './BackfillPage';
import { BackfillsPage } from './BackfillsPage';
import { JobDetailPage } from './JobDetailPage';
import { JobsPage } from './JobsPage';

/** The AI Assets menu page: the queue at its root, one job at jobs/:id, backfills (own permission) under backfills. */
const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<JobsPage />} />
      <Route path="jobs/:id" element={<JobDetailPage />} />
      <Route
        path="backfills"
        element={
          <Page.Protect permissions={PERMISSIONS.backfill}>
            <BackfillsPage />
          </Page.Protect>
        }
      />
      <Route
        path="backfills/:id"
        element={
          <Page.Protect permissions={PERMISSIONS.backfill}>
            <BackfillPage />
          </Page.Protect>
        }
      />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

export default App;
